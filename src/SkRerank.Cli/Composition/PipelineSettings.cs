namespace SkRerank.Cli.Composition;

/// <summary>What the user chose on the command line for building a search pipeline.</summary>
internal sealed record PipelineSettings
{
    /// <summary>"local" or "together": the default for both stages.</summary>
    public string Provider { get; init; } = "local";
    /// <summary>arctic | minilm (int8), arctic-int8 | arctic-fp32 | minilm-int8 | minilm-fp32, together, hf:OWNER/NAME or a model folder; null follows <see cref="Provider"/>.</summary>
    public string? Embeddings { get; init; }
    /// <summary>local | together | none | cross-encoder | chat; null follows <see cref="Provider"/>.</summary>
    public string? Reranker { get; init; }
    /// <summary>Overrides the Together embedding model.</summary>
    public string? EmbeddingModel { get; init; }
    /// <summary>Overrides the rerank model (Together model id, or a cross-encoder folder / Hugging Face id).</summary>
    public string? RerankModel { get; init; }
    /// <summary>--rerank-base-url: the Together rerank endpoint's base URL when it differs.</summary>
    public string? RerankBaseUrl { get; init; }
    /// <summary>--timeout SECONDS: the time budget of each Together call, retries included.</summary>
    public TimeSpan? Timeout { get; init; }
    /// <summary>--dataset PATH.</summary>
    public string? Dataset { get; init; }
    /// <summary>--cache-dir DIR.</summary>
    public string? CacheDir { get; init; }
    /// <summary>--first-stage vector|hybrid.</summary>
    public string? FirstStage { get; init; }
    /// <summary>--candidates K; <see langword="null"/> lets the pipeline choose (150 for the local reranker, 25 otherwise).</summary>
    public int? Candidates { get; init; }
    /// <summary>--min-score.</summary>
    public double? MinScore { get; init; }
    /// <summary>--rerank-fields.</summary>
    public SkRerank.Movies.MovieTextFields? RerankFields { get; init; }
    /// <summary>--fail-closed.</summary>
    public bool FailClosed { get; init; }
    /// <summary>--verbose: log to stderr at Debug level.</summary>
    public bool Verbose { get; init; }
    /// <summary>--store memory|postgres: where the movies are indexed.</summary>
    public string Store { get; init; } = "memory";
    /// <summary>--connection-string (or SKRERANK_POSTGRES) for --store postgres.</summary>
    public string? ConnectionString { get; init; }
    /// <summary>Show an indexing progress bar on stderr.</summary>
    public bool ShowProgress { get; init; } = true;

    /// <summary>
    /// Offline models run in int8 unless named otherwise: arctic embeds about 1.5x faster than in fp32 and the default
    /// pipeline keeps its nDCG@5 on the dev queries (docs/performance.md).
    /// </summary>
    public const string DefaultPrecision = "int8";

    /// <summary>The precision of the first stage's local model ("int8" or "fp32"); <see cref="DefaultPrecision"/> for a remote one.</summary>
    public string FirstStagePrecision => EffectiveEmbeddings.EndsWith("-fp32", StringComparison.Ordinal) ? "fp32" : DefaultPrecision;

    /// <summary>The embedding choice after applying the provider default; a local model is named with its precision, e.g. arctic-int8.</summary>
    public string EffectiveEmbeddings => Embeddings is { } named && EmbeddingModelReference.TryParse(named) is not null
        ? named // hf:Owner/Name and folders keep their case
        : (Embeddings ?? (Provider == "together" ? "together" : "arctic")).ToLowerInvariant() switch
    {
        var local when local is "arctic" or "minilm" => $"{local}-{DefaultPrecision}",
        var other => other,
    };

    /// <summary>The reranker choice after applying the provider default.</summary>
    public string EffectiveReranker => (Reranker ?? (Provider == "together" ? "together" : "local")).ToLowerInvariant();
}
