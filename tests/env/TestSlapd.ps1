# A throwaway OpenLDAP server (Debian's slapd) for the tests, loaded from configs/ldap/bootstrap.
# Dot-source it, then:
#   $ldap = Start-TestSlapd [-Tls]      # listens on ldap://127.0.0.1:<free port>/ only
#   ... $ldap.Uri, $ldap.Credential (the rootdn), $ldap.AdminPassword, $ldap.CaCertificate ...
#   Stop-TestSlapd $ldap                # stops exactly the pid slapd wrote, removes the folder
# With -Tls the server also offers StartTLS with a certificate for the address 127.0.0.1 only
# (libldap checks a 'localhost' name against the machine's own name, so an IP it is), signed by a
# CA made for this run ($ldap.CaCertificate); $ldap.OtherCaCertificate is a CA that did not sign
# it, $ldap.MismatchUri (127.0.0.2, same server) is an address the certificate does not name,
# and $ldap.LdapsUri is the same server over ldaps://.

$script:SlapdRepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
. (Join-Path $PSScriptRoot 'TestProcess.ps1')

function Assert-TestSlapdPrerequisite {
    $missing = @('/usr/sbin/slapd', '/usr/sbin/slapadd', '/usr/sbin/slappasswd', '/usr/bin/ldapwhoami', '/usr/bin/openssl', '/etc/ldap/schema/inetorgperson.schema') |
        Where-Object { -not (Test-Path $_) }
    if ($missing) {
        throw "The LDAP tests need Debian's slapd, ldap-utils and openssl (missing: $($missing -join ', ')). Run: bash tests/env/install-checkers.sh"
    }
}

# The base DN the stack's Authelia uses; the bootstrap LDIF is written for it.
function Get-TestSlapdBaseDn {
    $config = Get-Content (Join-Path $script:SlapdRepoRoot 'configs/authelia/configuration.yml') -Raw
    if ($config -notmatch "(?m)^\s+base_dn:\s*'?([^'\r\n]+)'?\s*$") { throw 'configs/authelia/configuration.yml names no base_dn.' }
    $Matches[1]
}

function Invoke-TestSlapdTool([string] $What, [string] $File, [string[]] $Arguments) {
    $output = & $File @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit $LASTEXITCODE): $($output -join "`n")" }
}

function New-TestSlapdCertificate([string] $Directory) {
    $openssl = '/usr/bin/openssl'
    foreach ($ca in 'ca', 'other-ca') {
        Invoke-TestSlapdTool "openssl ($ca)" $openssl @('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
            '-keyout', "$Directory/$ca.key", '-out', "$Directory/$ca.pem", '-subj', "/CN=Datamancy test $ca",
            '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign')
    }
    Set-Content "$Directory/server.ext" "subjectAltName=IP:127.0.0.1`nextendedKeyUsage=serverAuth`nbasicConstraints=CA:FALSE"
    Invoke-TestSlapdTool 'openssl (server key)' $openssl @('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', "$Directory/server.key",
        '-out', "$Directory/server.csr", '-subj', '/CN=127.0.0.1')
    Invoke-TestSlapdTool 'openssl (server certificate)' $openssl @('x509', '-req', '-in', "$Directory/server.csr", '-CA', "$Directory/ca.pem",
        '-CAkey', "$Directory/ca.key", '-CAcreateserial', '-days', '2', '-out', "$Directory/server.pem", '-extfile', "$Directory/server.ext")
}

function Start-TestSlapd {
    [CmdletBinding()]
    param(
        [string] $BootstrapPath = (Join-Path $script:SlapdRepoRoot 'configs/ldap/bootstrap'),
        [switch] $Tls
    )
    Assert-TestSlapdPrerequisite
    $baseDn = Get-TestSlapdBaseDn
    $adminDn = "cn=admin,$baseDn"
    $directory = Join-Path ([IO.Path]::GetTempPath()) "dm-slapd-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory -Path "$directory/data" -Force | Out-Null
    $password = [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(16)).ToLowerInvariant()
    # The password reaches slappasswd through a private file, never a command line.
    $secretFile = "$directory/rootpw"
    [IO.File]::WriteAllText($secretFile, $password)
    [IO.File]::SetUnixFileMode($secretFile, 'UserRead, UserWrite')
    $hash = (& /usr/sbin/slappasswd -T $secretFile -h '{SSHA}').Trim()
    Remove-Item $secretFile
    if ($LASTEXITCODE -ne 0 -or $hash -notlike '{SSHA}*') { throw 'slappasswd did not hash the test password.' }

    $tlsLines = ''
    if ($Tls) {
        New-TestSlapdCertificate $directory
        $tlsLines = "TLSCACertificateFile $directory/ca.pem`nTLSCertificateFile $directory/server.pem`nTLSCertificateKeyFile $directory/server.key"
    }
    $config = "$directory/slapd.conf"
    Set-Content $config @"
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/nis.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile $directory/slapd.pid
argsfile $directory/slapd.args
$tlsLines
database mdb
maxsize 67108864
suffix "$baseDn"
rootdn "$adminDn"
rootpw $hash
directory $directory/data
index objectClass eq
index uid,cn,member eq
access to attrs=userPassword by self write by anonymous auth by * none
access to * by users read by * none
"@
    [IO.File]::SetUnixFileMode($config, 'UserRead, UserWrite')

    $ldif = "$directory/bootstrap.ldif"
    $files = @(Get-ChildItem $BootstrapPath -Filter *.ldif | Sort-Object Name)
    if ($files.Count -eq 0) { throw "No *.ldif in $BootstrapPath." }
    Set-Content $ldif (($files | ForEach-Object { Get-Content $_.FullName -Raw }) -join "`n`n")
    Invoke-TestSlapdTool 'slapadd of the bootstrap LDIF' /usr/sbin/slapadd @('-f', $config, '-l', $ldif)

    # A free port can be taken between the probe and slapd's bind: try a few.
    $probeSecret = New-TestSlapdSecretFile $directory $password
    foreach ($attempt in 1..3) {
        $port = Get-FreeLoopbackPort
        $uri = "ldap://127.0.0.1:$port/"
        $ldapsPort = if ($Tls) { Get-FreeLoopbackPort } else { 0 }
        $listen = if ($Tls) { "$uri ldap://127.0.0.2:$port/ ldaps://127.0.0.1:$ldapsPort/" } else { $uri }
        & /usr/sbin/slapd -f $config -h $listen 2>&1 | Out-Null
        $deadline = [DateTime]::UtcNow.AddSeconds(15)
        while ([DateTime]::UtcNow -lt $deadline) {
            if (Test-Path "$directory/slapd.pid") {
                & /usr/bin/ldapwhoami -x -H $uri -D $adminDn -y $probeSecret 2>&1 | Out-Null
                if ($LASTEXITCODE -eq 0) {
                    $slapdPid = [int](Get-Content "$directory/slapd.pid" -Raw).Trim()
                    Remove-Item $probeSecret
                    return [pscustomobject]@{
                        Uri                = "ldap://127.0.0.1:$port"
                        Port               = $port
                        Pid                = $slapdPid
                        BaseDn             = $baseDn
                        AdminDn            = $adminDn
                        AdminPassword      = $password
                        Credential         = [pscredential]::new($adminDn, (ConvertTo-SecureString $password -AsPlainText -Force))
                        Directory          = $directory
                        CaCertificate      = if ($Tls) { "$directory/ca.pem" } else { $null }
                        OtherCaCertificate = if ($Tls) { "$directory/other-ca.pem" } else { $null }
                        MismatchUri        = if ($Tls) { "ldap://127.0.0.2:$port" } else { $null }
                        LdapsUri           = if ($Tls) { "ldaps://127.0.0.1:$ldapsPort" } else { $null }
                    }
                }
            }
            Start-Sleep -Milliseconds 100
        }
        if (Test-Path "$directory/slapd.pid") {
            Stop-Process -Id ([int](Get-Content "$directory/slapd.pid" -Raw).Trim()) -ErrorAction SilentlyContinue
            Remove-Item "$directory/slapd.pid" -ErrorAction SilentlyContinue
        }
    }
    throw "slapd did not start on 127.0.0.1 (config $config)."
}

# ldapwhoami reads the password from a file (-y), so it never shows in a process list.
function New-TestSlapdSecretFile([string] $Directory, [string] $Secret) {
    $file = Join-Path $Directory "secret-$([guid]::NewGuid().ToString('N'))"
    [IO.File]::WriteAllText($file, '')
    [IO.File]::SetUnixFileMode($file, 'UserRead, UserWrite')
    [IO.File]::WriteAllText($file, $Secret)
    $file
}

# True when $Dn can bind with $Secret (ldapwhoami, an independent client).
function Test-TestSlapdBind($Server, [string] $Dn, [string] $Secret) {
    $file = New-TestSlapdSecretFile $Server.Directory $Secret
    try {
        & /usr/bin/ldapwhoami -x -H $Server.Uri -D $Dn -y $file 2>&1 | Out-Null
        $LASTEXITCODE -eq 0
    }
    finally { Remove-Item $file -ErrorAction SilentlyContinue }
}

# Runs ldapsearch as the rootdn and returns its LDIF output (-LLL, unwrapped).
function Invoke-TestSlapdSearch($Server, [string] $Filter, [string[]] $Attributes = @(), [string] $Base = $Server.BaseDn) {
    $file = New-TestSlapdSecretFile $Server.Directory $Server.AdminPassword
    try {
        $output = & /usr/bin/ldapsearch -x -LLL -o ldif-wrap=no -H $Server.Uri -D $Server.AdminDn -y $file -b $Base $Filter @Attributes 2>&1
        if ($LASTEXITCODE -notin 0, 32) { throw "ldapsearch failed (exit $LASTEXITCODE): $($output -join "`n")" }
        $output
    }
    finally { Remove-Item $file -ErrorAction SilentlyContinue }
}

# Adds LDIF as the rootdn (to make entries the module itself would refuse to create).
function Add-TestSlapdEntry($Server, [string] $Ldif) {
    $file = New-TestSlapdSecretFile $Server.Directory $Server.AdminPassword
    $ldifFile = Join-Path $Server.Directory "add-$([guid]::NewGuid().ToString('N')).ldif"
    try {
        Set-Content $ldifFile $Ldif
        Invoke-TestSlapdTool 'ldapadd' /usr/bin/ldapadd @('-x', '-H', $Server.Uri, '-D', $Server.AdminDn, '-y', $file, '-f', $ldifFile)
    }
    finally { Remove-Item $file, $ldifFile -ErrorAction SilentlyContinue }
}

function Stop-TestSlapd($Server) {
    if (-not $Server) { return }
    # Exactly the pid slapd wrote, and only while that pid still is a slapd.
    $process = Get-Process -Id $Server.Pid -ErrorAction SilentlyContinue
    if ($process -and $process.ProcessName -eq 'slapd') {
        Stop-Process -Id $Server.Pid
        $process.WaitForExit(10000) | Out-Null
    }
    Remove-Item $Server.Directory -Recurse -Force -ErrorAction SilentlyContinue
}
