@{
    RootModule           = 'Datamancy.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Core')
    GUID                 = '6f0f7a0e-5a7b-4d3e-9c1a-2d1c8e7b4a91'
    Author               = 'Datamancy developers'
    CompanyName          = 'Datamancy'
    Copyright            = '(c) Datamancy developers. MIT License.'
    Description          = 'Owns the Datamancy self-hosted stack (33 containers in 12 compose profiles) from PowerShell: create and validate it, start, stop and restart its services through the Docker Engine API, test and fingerprint them, audit its security and rotate its secrets, back it up with restore drills, and manage its LDAP users and roles.'
    # net8.0, the runtime of PowerShell 7.4 LTS; Windows PowerShell 5.1 cannot load it.
    PowerShellVersion    = '7.4'
    FormatsToProcess     = @('Datamancy.Format.ps1xml')
    CmdletsToExport      = @(
        'New-DatamancyStack'
        'Get-DatamancyStack'
        'Export-DatamancyStack'
        'Get-DatamancyProfile'
        'Get-DatamancyService'
        'Start-DatamancyProfile'
        'Stop-DatamancyProfile'
        'Start-DatamancyService'
        'Stop-DatamancyService'
        'Restart-DatamancyService'
        'Get-DatamancyUpdate'
        'Update-DatamancyService'
        'Get-DatamancyLog'
        'Invoke-DatamancyCommand'
        'Get-DatamancyUser'
        'New-DatamancyUser'
        'Set-DatamancyUser'
        'Reset-DatamancyUserPassword'
        'Remove-DatamancyUser'
        'Get-DatamancyGroup'
        'Add-DatamancyGroupMember'
        'Remove-DatamancyGroupMember'
        'Get-DatamancyAccess'
        'Test-DatamancySecurity'
        'Update-DatamancySecret'
        'Invoke-DatamancyBackup'
        'Get-DatamancyBackup'
        'Restore-DatamancyBackup'
        'Restore-DatamancyStack'
        'Test-DatamancyRecovery'
        'Test-DatamancyBackup'
        'Get-DatamancyBackupPolicy'
        'Set-DatamancyBackupPolicy'
        'Get-DatamancyFingerprint'
        'Test-DatamancyService'
        'New-DatamancyCertificate'
        'Get-DatamancyHostname'
        'Get-DatamancyStatus'
        'Export-DatamancyReport'
        'Register-DatamancySchedule'
        'Get-DatamancySchedule'
        'Unregister-DatamancySchedule'
        'Get-DatamancyNode'
        'Set-DatamancyNode'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags = @('docker', 'compose', 'selfhosted', 'stack', 'backup', 'ldap')
            # No ProjectUri and no LicenseUri: the project has no public address yet, and the repository
            # holds no LICENSE file for a LicenseUri to point at. Add both when they exist.
        }
    }
}
