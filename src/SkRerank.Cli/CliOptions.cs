using System.CommandLine;
using SkRerank.Cli.Composition;
using SkRerank.Cli.Validation;
using SkRerank.Movies;

namespace SkRerank.Cli;

/// <summary>Options every searching command shares (search, eval, chat, mcp, bench).</summary>
internal static class CliOptions
{
    public static readonly Option<string?> Dataset = new("--dataset")
    {
        Description = "Path to movies.json (default: datasets/movies.json, then ../shared/datasets/movies.json, then download).",
        Recursive = true,
    };

    public static readonly Option<string?> CacheDir = new("--cache-dir")
    {
        Description = "Folder for the embedding cache (default: $SKRERANK_CACHE_DIR, else the user cache folder).",
        Recursive = true,
    };

    public static readonly Option<string> Provider = new("--provider")
    {
        Description = "Provider for both stages: local (offline ONNX models) or together (Together AI; needs TOGETHER_API_KEY).",
        DefaultValueFactory = _ => "local",
        Recursive = true,
    };

    public static readonly Option<string?> Embeddings = new("--embeddings")
    {
        Description = "First-stage embeddings: arctic (default offline), minilm, or together. Offline models run in int8 (quantized once, kept in the cache folder); arctic-fp32 and minilm-fp32 pick the float models (the local reranker's arctic signal follows), arctic-int8 and minilm-int8 name the default explicitly. hf:OWNER/NAME runs any sentence-transformers model with an ONNX export from Hugging Face (downloaded once into the cache folder; HF_ENDPOINT and HF_TOKEN honoured), a folder path one in the same layout.",
        Recursive = true,
    };

    public static readonly Option<string?> Reranker = new("--reranker")
    {
        Description = "Second stage: local (offline signal fusion), together (Llama-Rank), cross-encoder (ONNX; --rerank-model DIR or HF id), chat (an LLM grades candidates; --rerank-model picks it), or none.",
        Recursive = true,
    };

    public static readonly Option<string?> EmbeddingModel = new("--embedding-model")
    {
        Description = "Together embedding model (default intfloat/multilingual-e5-large-instruct, the serverless one; BAAI/bge-base-en-v1.5 or a dedicated endpoint's model by name).",
        Recursive = true,
    };

    public static readonly Option<string?> RerankModel = new("--rerank-model")
    {
        Description = "Rerank model: your Together dedicated endpoint's model (default Salesforce/Llama-Rank-V1; e.g. mixedbread-ai/Mxbai-Rerank-Large-V2) or, for cross-encoder, a folder or Hugging Face id.",
        Recursive = true,
    };

    public static readonly Option<string?> RerankBaseUrl = new("--rerank-base-url")
    {
        Description = "Base URL of the Together rerank endpoint when it differs from TOGETHER_BASE_URL (default: $TOGETHER_RERANK_BASE_URL, else the API base URL).",
        Recursive = true,
    };

    public static readonly Option<double?> Timeout = new("--timeout")
    {
        Description = "Time budget in seconds of a search and of each Together call, retries included (default: none per search; 60 s per Together attempt, 4 attempts); a reranker that runs out answers in first-stage order.",
        Recursive = true,
    };

    public static readonly Option<string?> FirstStage = new("--first-stage")
    {
        Description = "First stage: hybrid (dense + BM25, default) or vector (dense only, like the cookbook).",
        Recursive = true,
    };

    public static readonly Option<int?> Candidates = new("--candidates")
    {
        Description = "How many first-stage candidates the reranker reads (default: 150 for the local reranker, whose cost does not grow with them; 25, the cookbook's, for the others).",
        Recursive = true,
    };

    public static readonly Option<double?> MinScore = new("--min-score")
    {
        Description = "Drop reranked results scoring below this (scales differ per reranker).",
        Recursive = true,
    };

    public static readonly Option<string?> RerankFields = new("--rerank-fields")
    {
        Description = "Movie fields the reranker reads, comma-separated: title,overview,tagline,director,genres (default: all).",
        Recursive = true,
    };

    public static readonly Option<bool> FailClosed = new("--fail-closed")
    {
        Description = "Fail the search when the reranker fails, instead of returning first-stage order marked reranked: false.",
        Recursive = true,
    };

    public static readonly Option<string> Store = new("--store")
    {
        Description = "Where the movies are indexed: memory (in this process, default) or postgres (PostgreSQL + pgvector; needs --connection-string or SKRERANK_POSTGRES).",
        DefaultValueFactory = _ => "memory",
        Recursive = true,
    };

    public static readonly Option<string?> ConnectionString = new("--connection-string")
    {
        Description = "Npgsql connection string for --store postgres, e.g. \"Host=localhost;Port=5432;Username=postgres;Password=…;Database=postgres\" (default: $SKRERANK_POSTGRES).",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Log details to stderr.",
        Recursive = true,
    };

    public static readonly Option<bool> Trace = new("--trace")
    {
        Description = "After a search, print its span tree (skrerank.search > embed_query, first_stage, rerank) with durations on stderr.",
        Recursive = true,
    };

    public static void AddTo(Command command)
    {
        command.Options.Add(Trace);
        command.Options.Add(Dataset);
        command.Options.Add(CacheDir);
        command.Options.Add(Provider);
        command.Options.Add(Embeddings);
        command.Options.Add(Reranker);
        command.Options.Add(EmbeddingModel);
        command.Options.Add(RerankModel);
        command.Options.Add(RerankBaseUrl);
        command.Options.Add(Timeout);
        command.Options.Add(FirstStage);
        command.Options.Add(Candidates);
        command.Options.Add(MinScore);
        command.Options.Add(RerankFields);
        command.Options.Add(FailClosed);
        command.Options.Add(Store);
        command.Options.Add(ConnectionString);
        command.Options.Add(Verbose);
    }

    private static MovieTextFields? ParseFields(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var fields = MovieTextFields.None;
        foreach (var name in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            fields |= Enum.TryParse<MovieTextFields>(name, ignoreCase: true, out var field) && field != MovieTextFields.None
                ? field
                : throw new CliException($"Unknown field '{name}' in --rerank-fields; use title, overview, tagline, director, genres (or all).");
        }
        return fields;
    }

    /// <summary>
    /// Reads and checks the shared options: every name, number and required companion option (API keys, a cross-encoder's
    /// model) is checked here, before anything is loaded or written, so a mistake fails in milliseconds.
    /// </summary>
    public static PipelineSettings ReadSettings(ParseResult result)
    {
        var provider = (result.GetValue(Provider) ?? "local").Trim().ToLowerInvariant();
        if (result.GetValue(Candidates) is < 1 or > SkRerank.Search.MovieSearchService.MaxCandidates) throw new CliException($"--candidates must be between 1 and {SkRerank.Search.MovieSearchService.MaxCandidates}, but was {result.GetValue(Candidates)}.");
        if (result.GetValue(Timeout) is { } seconds && (!double.IsFinite(seconds) || seconds <= 0 || seconds > 3600))
            throw new CliException("--timeout must be a number of seconds between 0 and 3600, e.g. --timeout 10.");
        if (provider is not ("local" or "together"))
            throw new CliException($"Unknown --provider '{provider}'; use local or together.");
        var store = (result.GetValue(Store) ?? "memory").Trim().ToLowerInvariant();
        if (store is not ("memory" or "postgres"))
            throw new CliException($"Unknown --store '{store}'; use memory or postgres.");
        var connectionString = result.GetValue(ConnectionString) ?? Environment.GetEnvironmentVariable(MovieCollectionFactory.ConnectionStringVariable);
        if (store == "postgres" && string.IsNullOrWhiteSpace(connectionString))
            throw new CliException($"--store postgres needs a connection string: pass --connection-string \"Host=…;Port=…;Username=…;Password=…;Database=…\" or set {MovieCollectionFactory.ConnectionStringVariable}.");
        if (result.GetValue(MinScore) is { } minScore && !double.IsFinite(minScore))
            throw new CliException($"--min-score must be a finite number, but was {minScore}.");
        if (result.GetValue(FirstStage) is { } firstStage && !Enum.TryParse<SkRerank.Search.FirstStageMode>(firstStage, ignoreCase: true, out _))
            throw new CliException($"Unknown --first-stage '{firstStage}'; use vector or hybrid.");
        var settings = new PipelineSettings
        {
            Store = store,
            ConnectionString = connectionString,
            Provider = provider,
            Embeddings = result.GetValue(Embeddings),
            Reranker = result.GetValue(Reranker),
            EmbeddingModel = result.GetValue(EmbeddingModel),
            RerankModel = result.GetValue(RerankModel),
            RerankBaseUrl = result.GetValue(RerankBaseUrl),
            Timeout = result.GetValue(Timeout) is { } budget ? TimeSpan.FromSeconds(budget) : null,
            Dataset = result.GetValue(Dataset),
            CacheDir = result.GetValue(CacheDir),
            FirstStage = result.GetValue(FirstStage),
            Candidates = result.GetValue(Candidates),
            MinScore = result.GetValue(MinScore),
            RerankFields = ParseFields(result.GetValue(RerankFields)),
            FailClosed = result.GetValue(FailClosed),
            Verbose = result.GetValue(Verbose),
        };
        SettingsCheck.Validate(settings);
        return settings;
    }
}
