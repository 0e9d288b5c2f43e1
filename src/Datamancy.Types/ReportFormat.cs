namespace Datamancy;

/// <summary>What Export-DatamancyReport writes.</summary>
public enum ReportFormat
{
    /// <summary>The docs site's services page (mkdocs, mkdocs-material).</summary>
    Markdown,

    /// <summary>One self-contained page: no external assets, works offline.</summary>
    Html,

    /// <summary>The status objects with the stack's summary, schema version 1.</summary>
    Json,

    /// <summary>node_exporter textfile collector format (datamancy_* gauges, no timestamps).</summary>
    Prometheus,
}
