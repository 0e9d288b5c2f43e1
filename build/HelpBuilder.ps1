<#
.SYNOPSIS
    Turns PlatyPS-style (v0.14, schema 2.0.0) markdown into MAML help and about topics.
.DESCRIPTION
    PlatyPS is not served by the registries the build machines reach, so the help build is ours.
    Dot-source this file, then:
        Build-DatamancyHelp -SourcePath en-US -OutputPath out/Datamancy/en-US
    Parse errors read "<file>:<line>: <message>" so editors and CI logs can jump to them.
    No param block and no script-level variables: dot-sourcing must not overwrite the caller's variables.
#>

function Stop-HelpParse([string] $Path, [int] $Line, [string] $Message) {
    throw [System.FormatException]::new("${Path}:${Line}: $Message")
}

function Join-HelpParagraphLine([string[]] $Line) {
    # Wrapped lines are one paragraph; list items, table rows and hard breaks (two trailing spaces) keep their own line.
    $out = [System.Collections.Generic.List[string]]::new()
    $hardBreak = $false
    foreach ($text in $Line) {
        if ($out.Count -eq 0 -or $hardBreak -or $text -match '^\s*([-*+]|\d+\.)\s|^\s*\|') { $out.Add($text.TrimEnd()) }
        else { $out[-1] += ' ' + $text.Trim() }
        $hardBreak = $text -match '\S  +$'
    }
    $out -join "`n"
}

function Read-HelpMarkdownBlock([string] $Path, [string[]] $Line, [int] $Offset) {
    # Splits markdown into headings, fenced code blocks and paragraphs, each with its line number.
    $i = 0
    while ($i -lt $Line.Count) {
        $number = $Offset + $i + 1
        if ($Line[$i] -match '^\s*$') { $i++; continue }
        if ($Line[$i] -match '^(#{1,6})\s+(.*?)\s*$') {
            [pscustomobject]@{ Kind = 'Heading'; Level = $Matches[1].Length; Text = $Matches[2]; Lang = ''; Info = ''; Line = $number }
            $i++; continue
        }
        if ($Line[$i] -match '^\s*(```+|~~~+)\s*([\w+-]*)\s*(.*?)\s*$') {
            # The info string: the language, then attributes such as needs=engine (GitHub highlights by the first word).
            $fence, $lang, $info = $Matches[1], $Matches[2], $Matches[3]
            $body = [System.Collections.Generic.List[string]]::new()
            for ($i++; $i -lt $Line.Count -and $Line[$i] -notmatch "^\s*$([regex]::Escape($fence))\s*$"; $i++) { $body.Add($Line[$i]) }
            if ($i -ge $Line.Count) { Stop-HelpParse $Path $number 'code block is never closed' }
            [pscustomobject]@{ Kind = 'Code'; Level = 0; Text = $body -join "`n"; Lang = $lang; Info = $info; Line = $number }
            $i++; continue
        }
        $para = [System.Collections.Generic.List[string]]::new()
        for (; $i -lt $Line.Count -and $Line[$i] -notmatch '^\s*$|^#{1,6}\s|^\s*(```|~~~)'; $i++) { $para.Add($Line[$i]) }
        [pscustomobject]@{ Kind = 'Text'; Level = 0; Text = Join-HelpParagraphLine $para; Lang = ''; Info = ''; Line = $number }
    }
}

function Read-HelpMarkdownFile([string] $Path) {
    # Returns the front matter (hashtable) and the blocks after it.
    $lines = [System.IO.File]::ReadAllLines($Path)
    $front = @{}
    $offset = 0
    if ($lines.Count -and $lines[0] -eq '---') {
        $end = [array]::IndexOf($lines, '---', 1)
        if ($end -lt 0) { Stop-HelpParse $Path 1 "front matter is never closed with '---'" }
        for ($i = 1; $i -lt $end; $i++) {
            if ($lines[$i] -match '^([^:]+):\s*(.*)$') { $front[$Matches[1].Trim()] = $Matches[2].Trim() }
        }
        $offset = $end + 1
    }
    $rest = if ($offset -lt $lines.Count) { $lines[$offset..($lines.Count - 1)] } else { @() }
    [pscustomobject]@{ FrontMatter = $front; Blocks = @(Read-HelpMarkdownBlock $Path $rest $offset) }
}

function Split-HelpSection([string] $Path, [object[]] $Block, [int] $Level, [string[]] $Allowed, [switch] $AllowDeeper) {
    # Groups blocks under headings of one level; text before the first heading is an error.
    $current = $null
    foreach ($b in $Block) {
        if ($b.Kind -eq 'Heading' -and ($b.Level -le $Level -or -not $AllowDeeper)) {
            if ($b.Level -ne $Level) { Stop-HelpParse $Path $b.Line "expected a level-$Level heading ('$('#' * $Level) ...'), found '$('#' * $b.Level) $($b.Text)'" }
            if ($Allowed -and $b.Text.ToUpperInvariant() -notin $Allowed) { Stop-HelpParse $Path $b.Line "unknown section '$('#' * $Level) $($b.Text)'" }
            if ($current) { $current }
            $current = [pscustomobject]@{ Title = $b.Text; Line = $b.Line; Blocks = [System.Collections.Generic.List[object]]::new() }
            continue
        }
        if (-not $current) { Stop-HelpParse $Path $b.Line "expected a level-$Level heading before this" }
        $current.Blocks.Add($b)
    }
    if ($current) { $current }
}

function Read-HelpParameterYaml([string] $Path, [object] $Code) {
    $known = 'Type', 'Parameter Sets', 'Aliases', 'Accepted values', 'Required', 'Position',
             'Default value', 'Accept pipeline input', 'Accept wildcard characters', 'Applicable'
    $values = @{}
    $lineOf = @{}
    $number = $Code.Line
    foreach ($text in $Code.Text -split "`n") {
        $number++
        if ($text -match '^\s*$') { continue }
        if ($text -notmatch '^([^:]+):\s*(.*?)\s*$') { Stop-HelpParse $Path $number "expected 'Key: value' in the yaml block, found '$text'" }
        $key = $known | Where-Object { $_ -eq $Matches[1].Trim() }
        if (-not $key) { Stop-HelpParse $Path $number "unknown yaml key '$($Matches[1].Trim())'" }
        $values[$key] = $Matches[2]
        $lineOf[$key] = $number
    }
    foreach ($key in 'Required', 'Accept wildcard characters') {
        if ($values.ContainsKey($key) -and $values[$key] -notin 'True', 'False') { Stop-HelpParse $Path $lineOf[$key] "'$key' must be True or False" }
    }
    if ($values.ContainsKey('Position') -and $values['Position'] -notmatch '^(Named|\d+)$') { Stop-HelpParse $Path $lineOf['Position'] "'Position' must be Named or a number" }
    $pipeline = '^(False|True \((ByValue|ByPropertyName)(, (ByValue|ByPropertyName))?\))$'
    if ($values.ContainsKey('Accept pipeline input') -and $values['Accept pipeline input'] -notmatch $pipeline) {
        Stop-HelpParse $Path $lineOf['Accept pipeline input'] "'Accept pipeline input' must be False or True (ByValue, ByPropertyName)"
    }
    if (-not $values['Type']) { Stop-HelpParse $Path $Code.Line "the yaml block has no 'Type'" }
    [pscustomobject]@{ Values = $values; LineOf = $lineOf }
}

function ConvertFrom-HelpMarkdown {
    <#
    .SYNOPSIS
        Parses one PlatyPS-style cmdlet markdown file into a command help object.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipelineByPropertyName)] [Alias('FullName')] [string] $Path)
    begin { $ErrorActionPreference = 'Stop' }
    process {
        $file = Convert-Path -LiteralPath $Path -ErrorAction Stop
        $doc = Read-HelpMarkdownFile $file
        $title = $doc.Blocks | Select-Object -First 1
        if (-not $title -or $title.Kind -ne 'Heading' -or $title.Level -ne 1) {
            Stop-HelpParse $file $(if ($title) { $title.Line } else { 1 }) "expected the command name as '# Verb-Noun'"
        }
        $sectionNames = 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS'
        $sections = @{}
        foreach ($s in Split-HelpSection $file @($doc.Blocks | Select-Object -Skip 1) 2 $sectionNames -AllowDeeper) {
            if ($sections.ContainsKey($s.Title.ToUpperInvariant())) { Stop-HelpParse $file $s.Line "section '## $($s.Title)' appears twice" }
            $sections[$s.Title.ToUpperInvariant()] = $s
        }
        $text = {
            param([string] $Name)
            $section = $sections[$Name]
            if (-not $section) { return }
            foreach ($b in $section.Blocks) {
                if ($b.Kind -eq 'Heading') { Stop-HelpParse $file $b.Line "unexpected heading in '## $Name'" }
                $b.Text
            }
        }

        if (-not $sections['SYNOPSIS']) { Stop-HelpParse $file $title.Line "'# $($title.Text)' has no '## SYNOPSIS' section" }
        $synopsis = @(& $text 'SYNOPSIS') -join ' '
        if (-not $synopsis.Trim()) { Stop-HelpParse $file $sections['SYNOPSIS'].Line "'## SYNOPSIS' is empty" }

        $syntaxBlocks = @($sections['SYNTAX'].Blocks | Where-Object { $_ })
        $syntax = @(
            if ($syntaxBlocks.Count -and $syntaxBlocks[0].Kind -eq 'Code') {
                # A single unnamed syntax block stands for the one parameter set.
                [pscustomobject]@{ ParameterSet = '(All)'; IsDefault = $true; Code = $syntaxBlocks[0].Text }
            }
            else {
                foreach ($set in Split-HelpSection $file $syntaxBlocks 3) {
                    $code = $set.Blocks | Where-Object Kind -eq 'Code' | Select-Object -First 1
                    if (-not $code) { Stop-HelpParse $file $set.Line "syntax '### $($set.Title)' has no code block" }
                    [pscustomobject]@{ ParameterSet = $set.Title -replace '\s*\(Default\)$', ''; IsDefault = $set.Title -match '\(Default\)$'; Code = $code.Text }
                }
            })

        $examples = @(
            foreach ($example in Split-HelpSection $file @($sections['EXAMPLES'].Blocks | Where-Object { $_ }) 3) {
                $code = @($example.Blocks | Where-Object Kind -eq 'Code')
                if (-not $code) { Stop-HelpParse $file $example.Line "example '### $($example.Title)' has no code block" }
                # needs=engine,ldap after the language names what the example needs beyond the files of a stack
                # folder; the help examples test runs every example that needs nothing.
                $needs = foreach ($block in $code | Where-Object Info) {
                    if ($block.Info -notmatch '^needs=([a-z]+(,[a-z]+)*)$') { Stop-HelpParse $file $block.Line "expected 'needs=name[,name...]' after the language, found '$($block.Info)'" }
                    $Matches[1] -split ','
                }
                [pscustomobject]@{
                    Title   = $example.Title
                    Code    = ($code.Text -join "`n`n")
                    Remarks = [string[]]@($example.Blocks | Where-Object Kind -eq 'Text' | ForEach-Object Text)
                    Needs   = [string[]]@($needs | Sort-Object -Unique)
                }
            })

        $setNames = @($syntax.ParameterSet)
        $supportsCommon = $false
        $list = { param($Value, $None) if ($Value -and $Value -ne $None) { $Value -split ',' | ForEach-Object Trim } }
        $parameters = @(
            foreach ($p in Split-HelpSection $file @($sections['PARAMETERS'].Blocks | Where-Object { $_ }) 3) {
                if ($p.Title -eq 'CommonParameters') { $supportsCommon = $true; continue }
                if ($p.Title -notmatch '^-(\w+)$') { Stop-HelpParse $file $p.Line "expected '### -ParameterName', found '### $($p.Title)'" }
                $name = $Matches[1]
                $yamlBlocks = @($p.Blocks | Where-Object { $_.Kind -eq 'Code' -and $_.Lang -eq 'yaml' })
                if (-not $yamlBlocks) { Stop-HelpParse $file $p.Line "parameter -$name has no yaml block" }
                # PlatyPS allows one yaml block per parameter set; our cmdlets do not need that, so keep one.
                if ($yamlBlocks.Count -gt 1) { Stop-HelpParse $file $yamlBlocks[1].Line "parameter -$name has more than one yaml block" }
                $description = [string[]]@($p.Blocks | Where-Object { $_.Line -lt $yamlBlocks[0].Line } | ForEach-Object Text)
                if (-not $description) { Stop-HelpParse $file $p.Line "parameter -$name has no description" }
                $yaml = Read-HelpParameterYaml $file $yamlBlocks[0]
                $v = $yaml.Values
                $sets = if ($v['Parameter Sets']) { & $list $v['Parameter Sets'] '' } else { '(All)' }
                foreach ($set in $sets) {
                    if ($set -ne '(All)' -and $setNames -notcontains $set) {
                        Stop-HelpParse $file $yaml.LineOf['Parameter Sets'] "parameter set '$set' is not in '## SYNTAX'"
                    }
                }
                [pscustomobject]@{
                    Name           = $name
                    Description    = $description
                    Type           = $v['Type']
                    ParameterSets  = [string[]]@($sets)
                    Aliases        = [string[]]@(& $list $v['Aliases'] 'None')
                    AcceptedValues = [string[]]@(& $list $v['Accepted values'] 'None')
                    Required       = $v['Required'] -eq 'True'
                    Position       = if ($v['Position']) { $v['Position'] } else { 'Named' }
                    DefaultValue   = if ($v['Default value']) { $v['Default value'] } else { 'None' }
                    PipelineInput  = if ($v['Accept pipeline input']) { $v['Accept pipeline input'] } else { 'False' }
                    Globbing       = $v['Accept wildcard characters'] -eq 'True'
                }
            })

        $typeSection = {
            param([string] $Name)
            foreach ($t in Split-HelpSection $file @($sections[$Name].Blocks | Where-Object { $_ }) 3) {
                [pscustomobject]@{ Type = $t.Title; Description = [string[]]@($t.Blocks | ForEach-Object Text) }
            }
        }

        $links = @(
            if ($doc.FrontMatter['online version']) { [pscustomobject]@{ Text = 'Online Version:'; Uri = $doc.FrontMatter['online version'] } }
            foreach ($b in $sections['RELATED LINKS'].Blocks | Where-Object { $_ }) {
                $rest = $b.Text -replace '\[([^\]]+)\]\(([^)\s]*)\)', '' -replace '(?m)^\s*[-*+]\s*', ''
                if ($b.Kind -ne 'Text' -or $rest.Trim()) { Stop-HelpParse $file $b.Line "related links must be '[Text](uri)' lines" }
                foreach ($m in [regex]::Matches($b.Text, '\[([^\]]+)\]\(([^)\s]*)\)')) {
                    [pscustomobject]@{ Text = $m.Groups[1].Value; Uri = $m.Groups[2].Value }
                }
            })

        [pscustomobject]@{
            PSTypeName               = 'HelpBuilder.CommandHelp'
            Name                     = $title.Text
            Synopsis                 = $synopsis
            Description              = [string[]]@(& $text 'DESCRIPTION')
            Syntax                   = $syntax
            Examples                 = $examples
            Parameters               = $parameters
            SupportsCommonParameters = $supportsCommon
            Inputs                   = @(& $typeSection 'INPUTS')
            Outputs                  = @(& $typeSection 'OUTPUTS')
            Notes                    = [string[]]@(& $text 'NOTES')
            RelatedLinks             = $links
            ExternalHelpFile         = $doc.FrontMatter['external help file']
            ModuleName               = $doc.FrontMatter['Module Name']
            Path                     = $file
            Line                     = $title.Line
            ExamplesLine             = if ($sections['EXAMPLES']) { $sections['EXAMPLES'].Line } else { $title.Line }
        }
    }
}

function Write-MamlStart($Writer, [string] $QualifiedName) {
    $prefix, $name = $QualifiedName -split ':'
    $namespace = switch ($prefix) {
        'maml' { 'http://schemas.microsoft.com/maml/2004/10' }
        'command' { 'http://schemas.microsoft.com/maml/dev/command/2004/10' }
        'dev' { 'http://schemas.microsoft.com/maml/dev/2004/10' }
    }
    $Writer.WriteStartElement($prefix, $name, $namespace)
}

function Write-MamlElement($Writer, [string] $QualifiedName, [string] $Text) {
    Write-MamlStart $Writer $QualifiedName
    $Writer.WriteString($Text)
    $Writer.WriteEndElement()
}

function Write-MamlParagraph($Writer, [string] $QualifiedName, [string[]] $Paragraph) {
    Write-MamlStart $Writer $QualifiedName
    foreach ($p in $Paragraph) { Write-MamlElement $Writer 'maml:para' $p }
    $Writer.WriteEndElement()
}

function Write-MamlParameter($Writer, [object] $Parameter, [switch] $InSyntax) {
    $isSwitch = $Parameter.Type -in 'SwitchParameter', 'System.Management.Automation.SwitchParameter'
    Write-MamlStart $Writer 'command:parameter'
    $Writer.WriteAttributeString('required', "$($Parameter.Required)".ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', "$($Parameter.Type.EndsWith('[]'))".ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', "$($Parameter.Globbing)".ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $Parameter.PipelineInput)
    $Writer.WriteAttributeString('position', $Parameter.Position.ToLowerInvariant())
    $Writer.WriteAttributeString('aliases', $(if ($Parameter.Aliases) { $Parameter.Aliases -join ', ' } else { 'none' }))
    Write-MamlElement $Writer 'maml:name' $Parameter.Name
    Write-MamlParagraph $Writer 'maml:description' $Parameter.Description
    if ($InSyntax -and $Parameter.AcceptedValues) {
        Write-MamlStart $Writer 'command:parameterValueGroup'
        foreach ($value in $Parameter.AcceptedValues) {
            Write-MamlStart $Writer 'command:parameterValue'
            $Writer.WriteAttributeString('required', 'false')
            $Writer.WriteAttributeString('variableLength', 'false')
            $Writer.WriteString($value)
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }
    # Get-Help shows "[-Force]" rather than "[-Force <SwitchParameter>]" when a syntax switch has no value.
    if (-not ($InSyntax -and $isSwitch)) {
        Write-MamlStart $Writer 'command:parameterValue'
        $Writer.WriteAttributeString('required', "$(-not $isSwitch)".ToLowerInvariant())
        $Writer.WriteAttributeString('variableLength', 'false')
        $Writer.WriteString($Parameter.Type)
        $Writer.WriteEndElement()
    }
    Write-MamlStart $Writer 'dev:type'
    Write-MamlElement $Writer 'maml:name' $Parameter.Type
    $Writer.WriteEndElement()
    Write-MamlElement $Writer 'dev:defaultValue' $(if ($isSwitch -and $Parameter.DefaultValue -eq 'None') { 'False' } else { $Parameter.DefaultValue })
    $Writer.WriteEndElement()
}

function Write-MamlType($Writer, [string] $QualifiedName, [object[]] $Entry) {
    foreach ($e in $Entry) {
        Write-MamlStart $Writer $QualifiedName
        Write-MamlStart $Writer 'dev:type'
        Write-MamlElement $Writer 'maml:name' $e.Type
        $Writer.WriteEndElement()
        Write-MamlParagraph $Writer 'maml:description' $e.Description
        $Writer.WriteEndElement()
    }
}

function Write-MamlCommand($Writer, [object] $Command) {
    Write-MamlStart $Writer 'command:command'
    $Writer.WriteAttributeString('xmlns', 'maml', $null, 'http://schemas.microsoft.com/maml/2004/10')
    $Writer.WriteAttributeString('xmlns', 'command', $null, 'http://schemas.microsoft.com/maml/dev/command/2004/10')
    $Writer.WriteAttributeString('xmlns', 'dev', $null, 'http://schemas.microsoft.com/maml/dev/2004/10')
    $Writer.WriteAttributeString('xmlns', 'MSHelp', $null, 'http://msdn.microsoft.com/mshelp')

    $verb, $noun = $Command.Name -split '-', 2
    Write-MamlStart $Writer 'command:details'
    Write-MamlElement $Writer 'command:name' $Command.Name
    Write-MamlElement $Writer 'command:verb' $verb
    Write-MamlElement $Writer 'command:noun' $noun
    Write-MamlParagraph $Writer 'maml:description' $Command.Synopsis
    $Writer.WriteEndElement()
    Write-MamlParagraph $Writer 'maml:description' $Command.Description

    Write-MamlStart $Writer 'command:syntax'
    $syntaxes = if ($Command.Syntax) { $Command.Syntax } else { [pscustomobject]@{ ParameterSet = '(All)'; Code = '' } }
    foreach ($syntax in $syntaxes) {
        $set = $syntax.ParameterSet
        Write-MamlStart $Writer 'command:syntaxItem'
        Write-MamlElement $Writer 'maml:name' $Command.Name
        # Positional parameters first, then the order the markdown's syntax line shows (PlatyPS sorts by name there).
        $inSet = $Command.Parameters | Where-Object { $set -eq '(All)' -or $_.ParameterSets -contains $set -or $_.ParameterSets -contains '(All)' }
        $ordered = $inSet | Sort-Object -Stable { if ($_.Position -eq 'Named') { [int]::MaxValue } else { [int] $_.Position } },
            { $at = [regex]::Match($syntax.Code, "-$($_.Name)\b").Index; if ($at) { $at } else { [int]::MaxValue } }
        foreach ($p in $ordered) { Write-MamlParameter $Writer $p -InSyntax }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    Write-MamlStart $Writer 'command:parameters'
    foreach ($p in $Command.Parameters) { Write-MamlParameter $Writer $p }
    $Writer.WriteEndElement()

    Write-MamlStart $Writer 'command:inputTypes'
    Write-MamlType $Writer 'command:inputType' $Command.Inputs
    $Writer.WriteEndElement()
    Write-MamlStart $Writer 'command:returnValues'
    Write-MamlType $Writer 'command:returnValue' $Command.Outputs
    $Writer.WriteEndElement()

    Write-MamlStart $Writer 'maml:alertSet'
    Write-MamlParagraph $Writer 'maml:alert' $Command.Notes
    $Writer.WriteEndElement()

    Write-MamlStart $Writer 'command:examples'
    foreach ($e in $Command.Examples) {
        Write-MamlStart $Writer 'command:example'
        # PlatyPS pads titles with dashes to 64 columns; Get-Help prints the title as is.
        $pad = [math]::Max(0, [math]::Floor((64 - $e.Title.Length - 2) / 2))
        Write-MamlElement $Writer 'maml:title' ("$('-' * $pad) $($e.Title) $('-' * $pad)").Trim()
        Write-MamlElement $Writer 'dev:code' $e.Code
        Write-MamlParagraph $Writer 'dev:remarks' $e.Remarks
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    Write-MamlStart $Writer 'command:relatedLinks'
    foreach ($link in $Command.RelatedLinks) {
        Write-MamlStart $Writer 'maml:navigationLink'
        Write-MamlElement $Writer 'maml:linkText' $link.Text
        # PowerShell's help engine wants absolute uris (PlatyPS #164): links to sibling markdown files keep only their text.
        $uri = $null
        Write-MamlElement $Writer 'maml:uri' $(if ([uri]::TryCreate($link.Uri, 'Absolute', [ref] $uri)) { $link.Uri } else { '' })
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
    $Writer.WriteEndElement()
}

function ConvertTo-MamlHelp {
    <#
    .SYNOPSIS
        Writes command help objects (from ConvertFrom-HelpMarkdown) to one MAML file.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, ValueFromPipeline)] [object[]] $Command,
        [Parameter(Mandatory)] [string] $OutputPath
    )
    begin {
        $ErrorActionPreference = 'Stop'
        $all = [System.Collections.Generic.List[object]]::new()
    }
    process { $all.AddRange($Command) }
    end {
        $file = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($OutputPath)
        $settings = [System.Xml.XmlWriterSettings]::new()
        $settings.Indent = $true
        $settings.NewLineChars = "`n"
        $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
        $writer = [System.Xml.XmlWriter]::Create($file, $settings)
        try {
            $writer.WriteStartDocument()
            $writer.WriteStartElement('helpItems', 'http://msh')
            $writer.WriteAttributeString('schema', 'maml')
            foreach ($c in $all) { Write-MamlCommand $writer $c }
            $writer.WriteEndElement()
            $writer.WriteEndDocument()
        }
        finally { $writer.Dispose() }
        Get-Item -LiteralPath $file
    }
}

function Format-AboutText([string] $Text, [int] $Indent, [int] $Width = 80) {
    # Word-wraps each line; list items get a hanging indent, table rows stay as written.
    foreach ($line in $Text -split "`n") {
        $lead = ' ' * $Indent + ($line -replace '^(\s*).*', '$1')
        if ($line -match '^\s*\|') { $lead + $line.Trim(); continue }
        $hang = if ($line -match '^\s*(([-*+]|\d+\.)\s+)') { ' ' * $Matches[1].Length } else { '' }
        $current = $lead
        foreach ($word in $line.Trim() -split '\s+') {
            if ($current.Trim() -and $current.Length + 1 + $word.Length -gt $Width) { $current; $current = $lead + $hang + $word }
            elseif ($current.Trim()) { $current += ' ' + $word }
            else { $current += $word }
        }
        $current
    }
}

function ConvertTo-AboutHelp {
    <#
    .SYNOPSIS
        Converts an about_*.md topic (PlatyPS about layout) to an about_*.help.txt text topic.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [string] $OutputPath
    )
    $ErrorActionPreference = 'Stop'
    $file = Convert-Path -LiteralPath $Path -ErrorAction Stop
    $blocks = @((Read-HelpMarkdownFile $file).Blocks)
    if (-not $blocks -or $blocks[0].Kind -ne 'Heading' -or $blocks[0].Level -ne 1 -or $blocks[0].Text -notmatch '^about_\w+$') {
        Stop-HelpParse $file $(if ($blocks) { $blocks[0].Line } else { 1 }) "expected the topic name as '# about_Name'"
    }
    $sections = @(Split-HelpSection $file @($blocks | Select-Object -Skip 1) 2 -AllowDeeper)
    foreach ($required in 'SHORT DESCRIPTION', 'LONG DESCRIPTION') {
        if ($sections.Title.ToUpperInvariant() -notcontains $required) { Stop-HelpParse $file $blocks[0].Line "'# $($blocks[0].Text)' has no '## $required' section" }
    }
    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.AddRange([string[]]@('TOPIC', "    $($blocks[0].Text)"))
    foreach ($section in $sections) {
        $lines.AddRange([string[]]@('', $section.Title.ToUpperInvariant()))
        $first = $true
        foreach ($b in $section.Blocks) {
            if (-not $first) { $lines.Add('') }
            $first = $false
            $formatted = switch ($b.Kind) {
                'Heading' { '    ' + $b.Text.ToUpperInvariant() }
                'Code' { $b.Text -split "`n" | ForEach-Object { ('        ' + $_).TrimEnd() } }
                default { Format-AboutText $b.Text 4 }
            }
            $lines.AddRange([string[]]@($formatted))
        }
    }
    $target = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($OutputPath)
    [System.IO.File]::WriteAllText($target, ($lines -join "`n") + "`n", [System.Text.UTF8Encoding]::new($false))
    Get-Item -LiteralPath $target
}

function Build-DatamancyHelp {
    <#
    .SYNOPSIS
        Builds Datamancy.dll-Help.xml from every cmdlet markdown file and about_*.help.txt from every about topic.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $SourcePath,
        [Parameter(Mandatory)] [string] $OutputPath,
        [string] $HelpFileName = 'Datamancy.dll-Help.xml'
    )
    # A half-built help file must fail the build, not scroll past as a non-terminating error.
    $ErrorActionPreference = 'Stop'
    $source = Convert-Path -LiteralPath $SourcePath -ErrorAction Stop
    $target = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($OutputPath)
    $null = New-Item -ItemType Directory -Force -Path $target
    $files = @(Get-ChildItem -LiteralPath $source -Filter *.md -File | Sort-Object Name)
    $commands = @(
        foreach ($f in $files | Where-Object Name -notlike 'about_*') {
            $c = ConvertFrom-HelpMarkdown -Path $f.FullName
            # The project's help rules (DESIGN.md): one file per cmdlet, named after it, two examples at least.
            if ($c.Name -ne $f.BaseName) { Stop-HelpParse $f.FullName $c.Line "command '$($c.Name)' is in a file named '$($f.Name)'" }
            if ($c.ExternalHelpFile -and $c.ExternalHelpFile -ne $HelpFileName) { Stop-HelpParse $f.FullName 2 "'external help file' is '$($c.ExternalHelpFile)', expected '$HelpFileName'" }
            if ($c.Examples.Count -lt 2) { Stop-HelpParse $f.FullName $c.ExamplesLine "'$($c.Name)' needs at least two examples" }
            $c
        })
    if (-not $commands) { throw "No cmdlet markdown (*.md other than about_*) in '$source'." }
    ConvertTo-MamlHelp -Command $commands -OutputPath (Join-Path $target $HelpFileName)
    foreach ($f in $files | Where-Object Name -like 'about_*') {
        ConvertTo-AboutHelp -Path $f.FullName -OutputPath (Join-Path $target "$($f.BaseName).help.txt")
    }
}
