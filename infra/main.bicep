// TradingTower: the whole Azure suite for one environment.
// Deploy: az deployment group create -g <rg> -f infra/main.bicep -p infra/params/dev.bicepparam
targetScope = 'resourceGroup'

@description('Short environment name: dev or prod.')
@allowed(['dev', 'prod'])
param environmentName string

@description('Prefix for resource names (3-11 lowercase letters or digits).')
@minLength(3)
@maxLength(11)
param namePrefix string = 'ttower'

param location string = resourceGroup().location

@description('Container image of the market-data gateway, e.g. myregistry.azurecr.io/tradingtower-gateway:1.0.0.')
param gatewayImage string

@description('Feature flag: deploy the always-on gateway Container App.')
param enableGateway bool = true

@description('Feature flag: deploy Web PubSub for live ticks and bot events.')
param enableWebPubSub bool = true

@description('Web PubSub tier. Free_F1 allows 20 connections and 20k messages a day; use Standard_S1 for real use.')
@allowed(['Free_F1', 'Standard_S1', 'Premium_P1'])
param webPubSubSku string = environmentName == 'prod' ? 'Standard_S1' : 'Free_F1'

@description('Allow exchange keys with live trading permission (prod only by default).')
param liveTradingEnabled bool = environmentName == 'prod'

@description('Maximum Function App instances (Flex Consumption).')
param maximumInstanceCount int = environmentName == 'prod' ? 100 : 20

var suffix = uniqueString(resourceGroup().id, namePrefix, environmentName)
var names = {
  logs: '${namePrefix}-${environmentName}-logs'
  insights: '${namePrefix}-${environmentName}-ai'
  storage: take(toLower('${namePrefix}${environmentName}${suffix}'), 24)
  cosmos: toLower('${namePrefix}-${environmentName}-${suffix}')
  vault: take(toLower('${namePrefix}${environmentName}kv${suffix}'), 24)
  plan: '${namePrefix}-${environmentName}-plan'
  functions: '${namePrefix}-${environmentName}-api-${suffix}'
  webPubSub: '${namePrefix}-${environmentName}-wps-${suffix}'
  containerEnv: '${namePrefix}-${environmentName}-cae'
  gateway: '${namePrefix}-${environmentName}-gateway'
  site: '${namePrefix}-${environmentName}-site'
}
var taskHubName = '${namePrefix}${environmentName}hub'

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: { location: location, logsName: names.logs, insightsName: names.insights }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: { location: location, accountName: names.cosmos, databaseName: 'tradingtower', serverless: environmentName != 'prod' }
}

module vault 'modules/key-vault.bicep' = {
  name: 'vault'
  params: { location: location, vaultName: names.vault, purgeProtection: environmentName == 'prod' }
}

module webPubSub 'modules/web-pubsub.bicep' = if (enableWebPubSub) {
  name: 'webPubSub'
  params: { location: location, name: names.webPubSub, sku: webPubSubSku }
}

module functions 'modules/function-app.bicep' = {
  name: 'functions'
  params: {
    location: location
    planName: names.plan
    appName: names.functions
    storageName: names.storage
    maximumInstanceCount: maximumInstanceCount
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    appSettings: {
      COSMOS_ENDPOINT: cosmos.outputs.endpoint
      COSMOS_DATABASE: 'tradingtower'
      SECRET_STORE: 'keyvault'
      KEY_VAULT_URL: vault.outputs.vaultUri
      WEB_PUBSUB_ENDPOINT: enableWebPubSub ? webPubSub.outputs.endpoint : ''
      WEB_PUBSUB_HUB: 'market'
      TT_TASK_HUB: taskHubName
      TT_LIVE_TRADING_ENABLED: string(liveTradingEnabled)
    }
  }
}

module gateway 'modules/gateway.bicep' = if (enableGateway) {
  name: 'gateway'
  params: {
    location: location
    environmentName: names.containerEnv
    appName: names.gateway
    image: gatewayImage
    logAnalyticsCustomerId: monitoring.outputs.logAnalyticsCustomerId
    logAnalyticsWorkspaceName: names.logs
    env: [
      { name: 'FUNCTIONS_BASE_URL', value: 'https://${functions.outputs.defaultHostName}' }
      { name: 'WEB_PUBSUB_ENDPOINT', value: enableWebPubSub ? webPubSub.outputs.endpoint : '' }
      { name: 'WEB_PUBSUB_HUB', value: 'market' }
      { name: 'COSMOS_ENDPOINT', value: cosmos.outputs.endpoint }
      { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: monitoring.outputs.appInsightsConnectionString }
    ]
  }
}

module site 'modules/static-web-app.bicep' = {
  name: 'site'
  params: { location: location, name: names.site, functionAppId: functions.outputs.id }
}

// Data-plane access by managed identity only: no keys in app settings.
module access 'modules/role-assignments.bicep' = {
  name: 'access'
  params: {
    principalIds: enableGateway ? [functions.outputs.principalId, gateway.outputs.principalId] : [functions.outputs.principalId]
    functionsPrincipalId: functions.outputs.principalId
    cosmosAccountName: names.cosmos
    vaultName: names.vault
    webPubSubName: enableWebPubSub ? names.webPubSub : ''
  }
  dependsOn: [cosmos, vault, webPubSub]
}

output siteHostName string = site.outputs.defaultHostName
output functionsHostName string = functions.outputs.defaultHostName
output cosmosEndpoint string = cosmos.outputs.endpoint
output keyVaultUri string = vault.outputs.vaultUri
