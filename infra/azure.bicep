// StageCoach on Azure: a Linux App Service (Python 3.11) running `python app.py`, a user-assigned
// managed identity that is both the bot's identity (MicrosoftAppType=UserAssignedMSI) and its key to
// the state storage, a Storage account whose blob container holds the conversation state (no shared
// keys: only Entra ID), and the Azure Bot registration with the Teams channel.
// Deployed by the Agents Toolkit (m365agents.yml, arm/deploy) or by `az deployment group create`
// (README, "Deploy"). Its outputs are written to env/.env.<environment> by the toolkit.

@maxLength(20)
@minLength(4)
@description('Used to generate names for all resources in this file')
param resourceBaseName string

@description('App Service plan SKU: B1 or higher (alwaysOn and the health check need it); P0v3 for production')
param webAppSKU string = 'B1'

@minValue(1)
@maxValue(10)
@description('Instances of the web app; the health check takes an unhealthy instance out only when there are two or more')
param instanceCount int = 1

@description('The Python runtime of the App Service')
param linuxFxVersion string = 'PYTHON|3.11'

@maxLength(42)
param botDisplayName string

@minValue(1)
@description('Conversation state not written for this many days is deleted (the storage lifecycle rule; STATE_TTL_DAYS)')
param stateTtlDays int = 30

@description('The blob container for the state (STATE_STORE=azureblob://<container>)')
param stateContainerName string = 'stagecoach-state'

param serverfarmsName string = resourceBaseName
param webAppName string = resourceBaseName
param identityName string = resourceBaseName
@description('3-24 lowercase letters and digits, unique across Azure')
param storageAccountName string = toLower(take('${replace(resourceBaseName, '-', '')}${uniqueString(resourceGroup().id)}', 24))
param location string = resourceGroup().location

// Built-in role: read, write and delete blobs (and their containers).
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  location: location
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  // checkov:skip=CKV_AZURE_35: App Service reaches the account over its public endpoint; denying it needs VNet integration and a private endpoint (README, "Deploy")
  // checkov:skip=CKV_AZURE_59: the same: public network access stays on, but no shared key or anonymous access is allowed, only Entra ID
  // checkov:skip=CKV_AZURE_206: zone-redundant (ZRS); conversation state lives 30 days and is not worth geo-replication
  // checkov:skip=CKV_AZURE_43: the name is computed (take/uniqueString), which checkov cannot evaluate; it is 3-24 lowercase letters and digits
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_ZRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false // only Entra ID tokens: there is no key or connection string to leak
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled' // App Service reaches it over the internet unless you add a VNet
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource stateContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: stateContainerName
  properties: {
    publicAccess: 'None'
  }
}

// Blob state does not expire by itself (SQLite state does, after STATE_TTL_DAYS): this rule deletes
// a conversation's state once it has not been written for stateTtlDays.
resource stateLifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'expire-conversation-state'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                '${stateContainerName}/'
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterModificationGreaterThan: stateTtlDays
                }
              }
            }
          }
        }
      ]
    }
  }
}

// The identity may use the state container, and nothing else in the account.
resource stateAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: stateContainer
  name: guid(stateContainer.id, identity.id, storageBlobDataContributor)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
  }
}

resource serverfarm 'Microsoft.Web/serverfarms@2023-12-01' = {
  // checkov:skip=CKV_AZURE_225: zone redundancy needs Premium v3 and three instances; set webAppSKU and instanceCount for production
  kind: 'app,linux'
  location: location
  name: serverfarmsName
  sku: {
    name: webAppSKU
    capacity: instanceCount
  }
  properties: {
    reserved: true // Linux
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  // checkov:skip=CKV_AZURE_222: Teams posts to /api/messages over the internet; every request must carry a Bot Framework token
  // checkov:skip=CKV_AZURE_17: the Bot Framework presents a token, not a client certificate
  // checkov:skip=CKV_AZURE_212: one instance by default (cost); instanceCount 2 or more for failover (README, "Scaling out")
  kind: 'app,linux'
  location: location
  name: webAppName
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    clientAffinityEnabled: false // any instance can take any turn: the state is in Blob storage
    siteConfig: {
      linuxFxVersion: linuxFxVersion
      appCommandLine: 'python app.py'
      alwaysOn: true
      healthCheckPath: '/healthz'
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      remoteDebuggingEnabled: false
      appSettings: [
        // What bot/config.py reads.
        {
          name: 'MicrosoftAppId'
          value: identity.properties.clientId
        }
        {
          name: 'MicrosoftAppType'
          value: 'UserAssignedMSI'
        }
        {
          name: 'MicrosoftAppTenantId'
          value: identity.properties.tenantId
        }
        {
          name: 'HOST'
          value: '0.0.0.0'
        }
        {
          name: 'PORT'
          value: '8000'
        }
        {
          name: 'STATE_STORE'
          value: 'azureblob://${stateContainerName}'
        }
        {
          name: 'AZURE_STORAGE_ACCOUNT_URL'
          value: storage.properties.primaryEndpoints.blob
        }
        {
          name: 'AZURE_CLIENT_ID'
          value: identity.properties.clientId
        }
        {
          name: 'STATE_TTL_DAYS'
          value: string(stateTtlDays)
        }
        {
          name: 'LOG_MESSAGE_TEXT'
          value: 'false'
        }
        // What App Service reads.
        {
          name: 'WEBSITES_PORT'
          value: '8000'
        }
        {
          name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
          value: 'true' // Oryx installs requirements.txt into the app's virtual environment
        }
        {
          name: 'WEBSITES_CONTAINER_START_TIME_LIMIT'
          value: '600'
        }
        {
          name: 'WEBSITE_HEALTHCHECK_MAXPINGFAILURES'
          value: '3'
        }
      ]
    }
  }
}

// Register the web app as a bot with the Bot Framework, and connect it to Teams.
module azureBotRegistration './botRegistration/azurebot.bicep' = {
  name: 'Azure-Bot-registration'
  params: {
    resourceBaseName: resourceBaseName
    identityClientId: identity.properties.clientId
    identityResourceId: identity.id
    identityTenantId: identity.properties.tenantId
    botAppDomain: webApp.properties.defaultHostName
    botDisplayName: botDisplayName
  }
}

// Written to env/.env.<environment> by the Agents Toolkit (names upper-cased).
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
output AZURE_STORAGE_ACCOUNT_URL string = storage.properties.primaryEndpoints.blob
