using '../main.bicep'

param environmentName = 'dev'
param gatewayImage = readEnvironmentVariable('TT_GATEWAY_IMAGE', 'mcr.microsoft.com/azuredocs/containerapps-helloworld:latest')
param enableGateway = true
param enableWebPubSub = true
