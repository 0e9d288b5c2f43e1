#Requires -Version 7.4
# Tests of build/HelpBuilder.ps1, our replacement for PlatyPS: markdown in, MAML and about topics out.

BeforeAll {
    . (Join-Path $PSScriptRoot '../build/HelpBuilder.ps1')
    $fixtures = Join-Path $PSScriptRoot 'fixtures/help'
    $widgetMarkdown = Join-Path $fixtures 'Get-TinyWidget.md'
}

Describe 'ConvertFrom-HelpMarkdown' {
    BeforeAll {
        $help = ConvertFrom-HelpMarkdown -Path $widgetMarkdown
    }

    It 'reads the name, the synopsis and the front matter' {
        $help.Name | Should -BeExactly 'Get-TinyWidget'
        $help.Synopsis | Should -BeExactly 'Gets the widgets of a tiny stack.'
        $help.ExternalHelpFile | Should -BeExactly 'TinyModule-help.xml'
        $help.ModuleName | Should -BeExactly 'TinyModule'
    }

    It 'makes one paragraph per blank-line separated block, joining wrapped lines and keeping list items' {
        $help.Description | Should -HaveCount 3
        $help.Description[0] | Should -BeExactly 'The Get-TinyWidget function gets widgets from the stack folder, one object per widget.'
        $help.Description[1] | Should -BeExactly "Widgets are compared with <, > & `"quotes`" and 'single quotes' intact."
        $help.Description[2] | Should -BeExactly "- first list item`n- second list item"
    }

    It 'reads the syntax sets and which one is the default' {
        $help.Syntax.ParameterSet | Should -Be @('ByName', 'ById')
        $help.Syntax.IsDefault | Should -Be @($true, $false)
        $help.Syntax[1].Code | Should -BeExactly 'Get-TinyWidget -Id <Int32> [-Force] [-Path <String>] [<CommonParameters>]'
    }

    It 'reads the examples with their title, code and remark paragraphs' {
        $help.Examples | Should -HaveCount 2
        $help.Examples[0].Title | Should -BeExactly 'Example 1: Get every widget'
        $help.Examples[0].Code | Should -BeExactly 'Get-TinyWidget -Path ./stack | Where-Object { $_.Size -lt 3 -and $_.Name -ne "a&b" }'
        $help.Examples[0].Remarks | Should -Be @('Gets the small widgets. The second line of that remark joins the first.', 'The second remark paragraph.')
        $help.Examples[1].Code | Should -BeExactly "'alpha', 'beta' | Get-TinyWidget"
    }

    It 'reads what an example needs from the attributes after the language, sorted' {
        @($help.Examples[0].Needs) | Should -HaveCount 0
        $help.Examples[1].Needs | Should -Be @('engine', 'server')
    }

    It 'reads every attribute of -<Name>' -ForEach @(
        @{ Name = 'Name'; Type = 'String[]'; Sets = @('ByName'); Aliases = @('WidgetName', 'WN'); Required = $false; Position = '0'
           Default = 'None'; Pipeline = 'True (ByPropertyName, ByValue)'; Globbing = $true; Text = 'Names of the widgets to get. Wildcards are allowed.' }
        @{ Name = 'Id'; Type = 'Int32'; Sets = @('ById'); Aliases = @(); Required = $true; Position = 'Named'
           Default = 'None'; Pipeline = 'False'; Globbing = $false; Text = 'The numeric id of one widget.' }
        @{ Name = 'Path'; Type = 'String'; Sets = @('(All)'); Aliases = @('StackPath'); Required = $false; Position = 'Named'
           Default = 'Current folder'; Pipeline = 'True (ByPropertyName)'; Globbing = $false; Text = 'The stack folder. Defaults to `$env:TINY_STACK`.' }
        @{ Name = 'Force'; Type = 'SwitchParameter'; Sets = @('(All)'); Aliases = @(); Required = $false; Position = 'Named'
           Default = 'None'; Pipeline = 'False'; Globbing = $false; Text = 'Includes hidden widgets.' }
    ) {
        $p = $help.Parameters | Where-Object Name -CEQ $Name
        $p | Should -HaveCount 1
        $p.Description | Should -Be @($Text)
        $p.Type | Should -BeExactly $Type
        $p.ParameterSets | Should -Be $Sets
        @($p.Aliases) | Should -Be $Aliases
        $p.Required | Should -Be $Required
        $p.Position | Should -BeExactly $Position
        $p.DefaultValue | Should -BeExactly $Default
        $p.PipelineInput | Should -BeExactly $Pipeline
        $p.Globbing | Should -Be $Globbing
    }

    It 'records CommonParameters as a flag, not as a parameter' {
        $help.Parameters.Name | Should -Be @('Name', 'Id', 'Path', 'Force')
        $help.SupportsCommonParameters | Should -BeTrue
    }

    It 'reads inputs, outputs and notes' {
        $help.Inputs.Type | Should -Be @('System.String[]', 'System.Int32')
        $help.Inputs[0].Description | Should -Be @('Widget names, by value or by property name.')
        @($help.Inputs[1].Description) | Should -HaveCount 0
        $help.Outputs.Type | Should -Be @('Tiny.WidgetInfo')
        $help.Notes | Should -Be @('Widgets are read from local files only.', 'Nothing is written.')
    }

    It 'reads related links, the online version first' {
        $help.RelatedLinks.Text | Should -Be @('Online Version:', 'about_TinyModule', 'Tiny project')
        $help.RelatedLinks.Uri | Should -Be @('https://example.invalid/tiny/Get-TinyWidget', 'about_TinyModule.md', 'https://example.invalid/tiny')
    }
}

Describe 'Malformed markdown' {
    It '<File> fails naming the file and line <Line>' -ForEach @(
        @{ File = 'missing-synopsis.md'; Line = 6; Says = "*no '## SYNOPSIS'*" }
        @{ File = 'parameter-without-yaml.md'; Line = 8; Says = '*-Name has no yaml block*' }
        @{ File = 'example-without-code.md'; Line = 15; Says = '*Example 2: Has no code*has no code block*' }
        @{ File = 'unknown-yaml-key.md'; Line = 14; Says = "*unknown yaml key 'Colour'*" }
        @{ File = 'unclosed-code.md'; Line = 9; Says = '*never closed*' }
        @{ File = 'unknown-parameter-set.md'; Line = 20; Says = "*'ByNmae' is not in '## SYNTAX'*" }
        @{ File = 'example-with-bad-needs.md'; Line = 9; Says = "*expected 'needs=name*found 'needs engine'*" }
    ) {
        $path = Join-Path $fixtures "malformed/$File"
        { ConvertFrom-HelpMarkdown -Path $path } | Should -Throw -ExpectedMessage "*$([IO.Path]::GetFullPath($path)):$($Line): *"
        { ConvertFrom-HelpMarkdown -Path $path } | Should -Throw -ExpectedMessage $Says
    }
}

Describe 'ConvertTo-MamlHelp' {
    BeforeAll {
        $help = ConvertFrom-HelpMarkdown -Path $widgetMarkdown
        $mamlPath = Join-Path $TestDrive 'TinyModule-help.xml'
        ConvertTo-MamlHelp -Command $help -OutputPath $mamlPath | Out-Null
        $raw = Get-Content -Raw -LiteralPath $mamlPath
        $xml = [xml] $raw
        $ns = [System.Xml.XmlNamespaceManager]::new($xml.NameTable)
        $ns.AddNamespace('msh', 'http://msh')
        $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
        $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
        $command = $xml.SelectSingleNode('/msh:helpItems[@schema="maml"]/command:command', $ns)
        function Select-Text([string] $XPath) { @($command.SelectNodes($XPath, $ns) | ForEach-Object InnerText) }
    }

    It 'writes one command:command under helpItems' {
        $command | Should -Not -BeNullOrEmpty
        $xml.SelectNodes('//command:command', $ns).Count | Should -Be 1
    }

    It 'writes details: name, verb, noun and synopsis' {
        Select-Text 'command:details/command:name' | Should -Be @('Get-TinyWidget')
        Select-Text 'command:details/command:verb' | Should -Be @('Get')
        Select-Text 'command:details/command:noun' | Should -Be @('TinyWidget')
        Select-Text 'command:details/maml:description/maml:para' | Should -Be @('Gets the widgets of a tiny stack.')
    }

    It 'writes one maml:para per description paragraph' {
        Select-Text 'maml:description/maml:para' | Should -Be $help.Description
    }

    It 'escapes XML special characters so they read back unchanged' {
        $raw | Should -Match ([regex]::Escape('compared with &lt;, &gt; &amp; "quotes"'))
        (Select-Text 'maml:description/maml:para')[1] | Should -BeExactly "Widgets are compared with <, > & `"quotes`" and 'single quotes' intact."
        (Select-Text 'command:examples/command:example/dev:code')[0] | Should -BeExactly $help.Examples[0].Code
    }

    It 'escapes text that would break XML or a CDATA section' {
        $tricky = $help.PSObject.Copy()
        $tricky.Synopsis = "a < b && c > d ]]> <!-- 'x' `"y`" </maml:para>"
        $path = Join-Path $TestDrive 'tricky.xml'
        ConvertTo-MamlHelp -Command $tricky -OutputPath $path | Out-Null
        $read = [xml] (Get-Content -Raw -LiteralPath $path)
        $read.helpItems.command.details.description.para | Should -BeExactly $tricky.Synopsis
    }

    It 'writes one syntax item per parameter set, positional parameters first, then in the order of the syntax line' {
        $items = $command.SelectNodes('command:syntax/command:syntaxItem', $ns)
        $items.Count | Should -Be 2
        @($items[0].SelectNodes('command:parameter/maml:name', $ns).InnerText) | Should -Be @('Name', 'Path', 'Force')
        @($items[1].SelectNodes('command:parameter/maml:name', $ns).InnerText) | Should -Be @('Id', 'Force', 'Path')
    }

    It 'leaves the value out of a switch in syntax, so Get-Help shows [-Force]' {
        $force = $command.SelectSingleNode('command:syntax/command:syntaxItem/command:parameter[maml:name="Force"]', $ns)
        $force.SelectSingleNode('command:parameterValue', $ns) | Should -BeNullOrEmpty
        $force.SelectSingleNode('dev:type/maml:name', $ns).InnerText | Should -BeExactly 'SwitchParameter'
    }

    It 'writes parameter attributes for -<Name>' -ForEach @(
        @{ Name = 'Name'; Required = 'false'; Globbing = 'true'; Pipeline = 'True (ByPropertyName, ByValue)'; Position = '0'; Aliases = 'WidgetName, WN'; Type = 'String[]'; Default = 'None' }
        @{ Name = 'Id'; Required = 'true'; Globbing = 'false'; Pipeline = 'False'; Position = 'named'; Aliases = 'none'; Type = 'Int32'; Default = 'None' }
        @{ Name = 'Path'; Required = 'false'; Globbing = 'false'; Pipeline = 'True (ByPropertyName)'; Position = 'named'; Aliases = 'StackPath'; Type = 'String'; Default = 'Current folder' }
        @{ Name = 'Force'; Required = 'false'; Globbing = 'false'; Pipeline = 'False'; Position = 'named'; Aliases = 'none'; Type = 'SwitchParameter'; Default = 'False' }
    ) {
        $p = $command.SelectSingleNode("command:parameters/command:parameter[maml:name='$Name']", $ns)
        $p.required | Should -BeExactly $Required
        $p.globbing | Should -BeExactly $Globbing
        $p.pipelineInput | Should -BeExactly $Pipeline
        $p.position | Should -BeExactly $Position
        $p.aliases | Should -BeExactly $Aliases
        $p.SelectSingleNode('dev:type/maml:name', $ns).InnerText | Should -BeExactly $Type
        $p.SelectSingleNode('command:parameterValue', $ns).InnerText | Should -BeExactly $Type
        $p.SelectSingleNode('dev:defaultValue', $ns).InnerText | Should -BeExactly $Default
        @($p.SelectNodes('maml:description/maml:para', $ns).InnerText) | Should -Be ($help.Parameters | Where-Object Name -EQ $Name).Description
    }

    It 'writes inputs, outputs and notes' {
        Select-Text 'command:inputTypes/command:inputType/dev:type/maml:name' | Should -Be @('System.String[]', 'System.Int32')
        Select-Text 'command:inputTypes/command:inputType/maml:description/maml:para' | Should -Be @('Widget names, by value or by property name.')
        Select-Text 'command:returnValues/command:returnValue/dev:type/maml:name' | Should -Be @('Tiny.WidgetInfo')
        Select-Text 'maml:alertSet/maml:alert/maml:para' | Should -Be @('Widgets are read from local files only.', 'Nothing is written.')
    }

    It 'writes examples with title, code and remarks' {
        Select-Text 'command:examples/command:example/maml:title' | Should -Match '^-+ Example \d: .+ -+$'
        Select-Text 'command:examples/command:example[2]/dev:code' | Should -Be @("'alpha', 'beta' | Get-TinyWidget")
        Select-Text 'command:examples/command:example[1]/dev:remarks/maml:para' | Should -Be $help.Examples[0].Remarks
    }

    It 'writes related links, keeping only absolute uris' {
        Select-Text 'command:relatedLinks/maml:navigationLink/maml:linkText' | Should -Be @('Online Version:', 'about_TinyModule', 'Tiny project')
        Select-Text 'command:relatedLinks/maml:navigationLink/maml:uri' | Should -Be @('https://example.invalid/tiny/Get-TinyWidget', '', 'https://example.invalid/tiny')
    }
}

Describe 'ConvertTo-AboutHelp' {
    BeforeAll {
        $aboutPath = Join-Path $TestDrive 'about_TinyModule.help.txt'
        ConvertTo-AboutHelp -Path (Join-Path $fixtures 'about_TinyModule.md') -OutputPath $aboutPath | Out-Null
        $lines = Get-Content -LiteralPath $aboutPath
    }

    It 'starts with TOPIC and the short description' {
        $lines[0..4] | Should -Be @('TOPIC', '    about_TinyModule', '', 'SHORT DESCRIPTION', '    Explains the tiny module.')
    }

    It 'turns ## headings into upper-case headings in order' {
        $lines | Where-Object { $_ -cmatch '^[A-Z]' } | Should -Be @('TOPIC', 'SHORT DESCRIPTION', 'LONG DESCRIPTION', 'SEE ALSO')
    }

    It 'wraps text at 80 columns, indents code by 8 and keeps list items' {
        $lines | Where-Object Length -GT 80 | Should -BeNullOrEmpty
        $lines | Should -Contain '    enough that the about topic has to wrap it onto a second line.'
        $lines | Should -Contain '        Get-TinyWidget | Where-Object Size -gt 2'
        $lines | Should -Contain '    - second point'
        $lines | Should -Contain '    FINDING THE STACK'
    }

    It 'refuses a topic without SHORT DESCRIPTION, naming the file and line' {
        $bad = Join-Path $TestDrive 'about_Bad.md'
        Set-Content -LiteralPath $bad -Value "# about_Bad`n`n## LONG DESCRIPTION`nText."
        { ConvertTo-AboutHelp -Path $bad -OutputPath (Join-Path $TestDrive 'x.txt') } |
            Should -Throw -ExpectedMessage "*about_Bad.md:1: *no '## SHORT DESCRIPTION'*"
    }
}

Describe 'Build-DatamancyHelp' {
    It 'refuses a cmdlet with fewer than two examples, naming the file and the EXAMPLES line' {
        $source = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'one-example')
        $text = (Get-Content -Raw -LiteralPath $widgetMarkdown) -replace '(?s)### Example 2.*?(?=## PARAMETERS)', ''
        Set-Content -LiteralPath (Join-Path $source 'Get-TinyWidget.md') -Value $text
        { Build-DatamancyHelp -SourcePath $source -OutputPath (Join-Path $TestDrive 'out1') -HelpFileName 'TinyModule-help.xml' } |
            Should -Throw -ExpectedMessage '*Get-TinyWidget.md:34: *at least two examples*'
    }

    It 'refuses a file not named after its command' {
        $source = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'misnamed')
        Copy-Item -LiteralPath $widgetMarkdown -Destination (Join-Path $source 'Get-Gadget.md')
        { Build-DatamancyHelp -SourcePath $source -OutputPath (Join-Path $TestDrive 'out2') -HelpFileName 'TinyModule-help.xml' } |
            Should -Throw -ExpectedMessage "*Get-Gadget.md:8: command 'Get-TinyWidget'*"
    }

    It 'refuses a file written for another help file' {
        { Build-DatamancyHelp -SourcePath $fixtures -OutputPath (Join-Path $TestDrive 'out3') } |
            Should -Throw -ExpectedMessage "*'external help file' is 'TinyModule-help.xml', expected 'Datamancy.dll-Help.xml'*"
    }

    It "builds the repository's en-US help: every cmdlet file in one MAML file, plus the about topic" {
        $source = Join-Path $PSScriptRoot '../en-US'
        $out = Join-Path $TestDrive 'Datamancy/en-US'
        Build-DatamancyHelp -SourcePath $source -OutputPath $out | Out-Null
        $maml = [xml] (Get-Content -Raw -LiteralPath (Join-Path $out 'Datamancy.dll-Help.xml'))
        $expected = Get-ChildItem -LiteralPath $source -Filter *.md | Where-Object Name -NotLike 'about_*' | ForEach-Object BaseName | Sort-Object
        @($maml.helpItems.command.details.name | Sort-Object) | Should -Be @($expected)
        Join-Path $out 'about_Datamancy.help.txt' | Should -Exist
    }
}

Describe 'Get-Help reads the generated MAML' {
    BeforeAll {
        # A script module stands in for the binary module: Get-Help reads its MAML the same way.
        $modules = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'modules')
        $module = New-Item -ItemType Directory -Path (Join-Path $modules 'TinyModule')
        Set-Content -LiteralPath (Join-Path $module 'TinyModule.psm1') -Value @'
function Get-TinyWidget {
    # .ExternalHelp TinyModule-help.xml
    [CmdletBinding(DefaultParameterSetName = 'ByName')]
    param(
        [Parameter(ParameterSetName = 'ByName', Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [Alias('WidgetName', 'WN')] [SupportsWildcards()] [string[]] $Name,
        [Parameter(ParameterSetName = 'ById', Mandatory)] [int] $Id,
        [Parameter(ValueFromPipelineByPropertyName)] [Alias('StackPath')] [string] $Path,
        [switch] $Force
    )
    process { $Name }
}
'@
        Build-DatamancyHelp -SourcePath $fixtures -OutputPath (Join-Path $module 'en-US') -HelpFileName 'TinyModule-help.xml' | Out-Null
        Import-Module (Join-Path $module 'TinyModule.psm1') -Force
        $help = Get-Help Get-TinyWidget -Full
        $savedModulePath = $env:PSModulePath
        $env:PSModulePath = "$modules$([IO.Path]::PathSeparator)$env:PSModulePath"
    }

    AfterAll {
        $env:PSModulePath = $savedModulePath
        Remove-Module TinyModule -ErrorAction Ignore
    }

    It 'returns the synopsis' {
        $help.Synopsis | Should -BeExactly 'Gets the widgets of a tiny stack.'
    }

    It 'returns the description paragraphs' {
        # Get-Help ends every paragraph but the last with a newline of its own.
        $help.description.Text.TrimEnd() | Should -Be @(
            'The Get-TinyWidget function gets widgets from the stack folder, one object per widget.'
            "Widgets are compared with <, > & `"quotes`" and 'single quotes' intact."
            "- first list item`n- second list item")
    }

    It 'returns the description of -<Name>' -ForEach @(
        @{ Name = 'Name'; Text = 'Names of the widgets to get. Wildcards are allowed.' }
        @{ Name = 'Id'; Text = 'The numeric id of one widget.' }
        @{ Name = 'Path'; Text = 'The stack folder. Defaults to `$env:TINY_STACK`.' }
        @{ Name = 'Force'; Text = 'Includes hidden widgets.' }
    ) {
        (Get-Help Get-TinyWidget -Parameter $Name).description.Text | Should -BeExactly $Text
    }

    It 'returns the parameter attributes of -Name' {
        $p = Get-Help Get-TinyWidget -Parameter Name
        $p.pipelineInput | Should -BeExactly 'True (ByPropertyName, ByValue)'
        $p.globbing | Should -BeExactly 'true'
        $p.aliases | Should -BeExactly 'WidgetName, WN'
    }

    It 'returns the examples with code and remarks' {
        $examples = @((Get-Help Get-TinyWidget -Examples).examples.example)
        $examples | Should -HaveCount 2
        $examples[0].title | Should -Match 'Example 1: Get every widget'
        $examples[0].code | Should -BeExactly 'Get-TinyWidget -Path ./stack | Where-Object { $_.Size -lt 3 -and $_.Name -ne "a&b" }'
        @($examples[0].remarks.Text | Where-Object { $_ }).TrimEnd() | Should -Be @('Gets the small widgets. The second line of that remark joins the first.', 'The second remark paragraph.')
        $examples[1].code | Should -BeExactly "'alpha', 'beta' | Get-TinyWidget"
    }

    It 'returns the notes, inputs and outputs' {
        $help.alertSet.alert.Text.TrimEnd() | Should -Be @('Widgets are read from local files only.', 'Nothing is written.')
        $help.inputTypes.inputType.type.name | Should -Be @('System.String[]', 'System.Int32')
        $help.returnValues.returnValue.type.name | Should -BeExactly 'Tiny.WidgetInfo'
    }

    It 'shows the syntax lines as written, a switch without a value' {
        $syntax = $help.syntax | Out-String -Width 200
        $syntax | Should -Match ([regex]::Escape('Get-TinyWidget [[-Name] <String[]>] [-Path <String>] [-Force] [<CommonParameters>]'))
        $syntax | Should -Match ([regex]::Escape('Get-TinyWidget -Id <Int32> [-Force] [-Path <String>] [<CommonParameters>]'))
    }

    It 'returns the about topic' {
        $about = Get-Help about_TinyModule | Out-String
        $about | Should -Match 'SHORT DESCRIPTION\s+Explains the tiny module\.'
        $about | Should -Match 'LONG DESCRIPTION'
    }
}
