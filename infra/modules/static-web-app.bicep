// The site; /api is the linked Function App, and SWA injects x-ms-client-principal.
param location string
param name string
param functionAppId string

resource site 'Microsoft.Web/staticSites@2023-12-01' = {
  name: name
  location: location
  sku: { name: 'Standard', tier: 'Standard' }
  properties: { buildProperties: { skipGithubActionWorkflowGeneration: true } }
}

resource backend 'Microsoft.Web/staticSites/linkedBackends@2023-12-01' = {
  parent: site
  name: 'api'
  properties: { backendResourceId: functionAppId, region: location }
}

output defaultHostName string = site.properties.defaultHostname
