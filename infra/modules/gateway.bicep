// The always-on market-data gateway: one replica keeps exchange websockets open (minReplicas 1, maxReplicas 1:
// two replicas would post every bar twice; bots ignore duplicates, but the exchange connections would double).
param location string
param environmentName string
param appName string
param image string
param logAnalyticsCustomerId string
param logAnalyticsWorkspaceName string
param env array

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: logAnalyticsWorkspaceName
}

resource containerEnv 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: environmentName
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: { customerId: logAnalyticsCustomerId, sharedKey: logs.listKeys().primarySharedKey }
    }
  }
}

resource gateway 'Microsoft.App/containerApps@2024-03-01' = {
  name: appName
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    managedEnvironmentId: containerEnv.id
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: { external: false, targetPort: 7072, transport: 'http' }
    }
    template: {
      containers: [
        {
          name: 'gateway'
          image: image
          resources: { cpu: json('0.5'), memory: '1Gi' }
          env: env
          probes: [
            { type: 'Liveness', httpGet: { path: '/health', port: 7072 }, periodSeconds: 15 }
          ]
        }
      ]
      scale: { minReplicas: 1, maxReplicas: 1 }
    }
  }
}

output principalId string = gateway.identity.principalId
