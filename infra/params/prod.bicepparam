using '../main.bicep'

param environmentName = 'prod'
param gatewayImage = readEnvironmentVariable('TT_GATEWAY_IMAGE')
param webPubSubSku = 'Standard_S1'
param liveTradingEnabled = true
