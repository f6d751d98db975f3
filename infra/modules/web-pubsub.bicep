param location string
param name string
param sku string

resource wps 'Microsoft.SignalRService/webPubSub@2024-03-01' = {
  name: name
  location: location
  sku: { name: sku, capacity: 1 }
  properties: { disableLocalAuth: true, publicNetworkAccess: 'Enabled' }
}

resource hub 'Microsoft.SignalRService/webPubSub/hubs@2024-03-01' = {
  parent: wps
  name: 'market'
  properties: { anonymousConnectPolicy: 'deny' }
}

output endpoint string = 'https://${wps.properties.hostName}'
