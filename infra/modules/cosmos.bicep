// Cosmos DB NoSQL: one database; the containers come from the same declaration the app uses
// (shared/adapters/cosmos/cosmos-containers.ts → infra/generated/cosmos-containers.json, `npm run infra:containers`).
// Each entry has a `scope`: `tenant` (partition key starts with /tenantId) or `market` (shared market
// data such as `candles`, partitioned by market and timeframe, never by tenant). Both deploy the same
// way: the partition key paths come from the JSON as they are, hierarchical (MultiHash) when there is
// more than one level, which is the rule ensureCosmosSchema applies too.
param location string
param accountName string
param databaseName string
param serverless bool

var containers = loadJsonContent('../generated/cosmos-containers.json')

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: accountName
  location: location
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [{ locationName: location, failoverPriority: 0, isZoneRedundant: false }]
    consistencyPolicy: { defaultConsistencyLevel: 'Session' }
    disableLocalAuth: true
    minimalTlsVersion: 'Tls12'
    capabilities: serverless ? [{ name: 'EnableServerless' }] : []
    backupPolicy: { type: 'Continuous', continuousModeProperties: { tier: 'Continuous7Days' } }
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-05-15' = {
  parent: account
  name: databaseName
  properties: { resource: { id: databaseName } }
}

resource sqlContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = [for c in containers: {
  parent: database
  name: c.id
  properties: {
    resource: {
      id: c.id
      partitionKey: { paths: c.partitionKeyPaths, kind: length(c.partitionKeyPaths) > 1 ? 'MultiHash' : 'Hash', version: 2 }
      indexingPolicy: c.indexingPolicy
    }
  }
}]

output endpoint string = account.properties.documentEndpoint
output accountName string = account.name
