param principalIds array
param functionsPrincipalId string
param cosmosAccountName string
param vaultName string
param webPubSubName string

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' existing = {
  name: cosmosAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: vaultName
}

// Cosmos DB Built-in Data Contributor (data plane).
resource cosmosData 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = [for id in principalIds: {
  parent: cosmos
  name: guid(cosmos.id, id, 'data-contributor')
  properties: {
    principalId: id
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/00000000-0000-0000-0000-000000000002'
    scope: cosmos.id
  }
}]

// Only the Function App reads and writes exchange credentials.
resource vaultSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, functionsPrincipalId, 'secrets-officer')
  scope: vault
  properties: {
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7')
  }
}

resource wps 'Microsoft.SignalRService/webPubSub@2024-03-01' existing = if (!empty(webPubSubName)) {
  name: empty(webPubSubName) ? 'none' : webPubSubName
}

// Web PubSub Service Owner: send to groups and sign client tokens.
resource wpsOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for id in (empty(webPubSubName) ? [] : principalIds): {
  name: guid(wps.id, id, 'wps-owner')
  scope: wps
  properties: {
    principalId: id
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '12cf5a90-567b-43ae-8102-96cf46c7d9b4')
  }
}]
