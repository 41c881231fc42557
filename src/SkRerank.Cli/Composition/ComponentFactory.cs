using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using SkRerank.Embeddings;
using SkRerank.Movies;
using SkRerank.Onnx.Embeddings;
using SkRerank.Onnx.HuggingFace;
using SkRerank.Onnx.Reranking;
using SkRerank.Together;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkRerank.Reranking;
using SkRerank.Search;

namespace SkRerank.Cli.Composition;

/// <summary>Creates the embedding generator and reranker a user picked by name on the command line.</summary>
internal sealed class ComponentFactory(PipelineSettings settings, ILoggerFactory loggerFactory, string cacheDirectory)
{
    private readonly Dictionary<string, Task<QueryEmbeddingCache>> _localModels = [];
    private TogetherClients? _together;
    private readonly Dictionary<IEmbeddingGenerator<string, Embedding<float>>, DiskCachingEmbeddingGenerator> _diskCaches = new(ReferenceEqualityComparer.Instance);

    public static readonly string[] EmbeddingChoices = ["arctic", "minilm", "together", "arctic-int8", "arctic-fp32", "minilm-int8", "minilm-fp32", "hf:OWNER/NAME", "a model folder"];

    /// <summary>Where model download progress bars go (stderr); none when <see langword="null"/>.</summary>
    public TextWriter? DownloadProgressWriter { get; init; }
    public static readonly string[] RerankerChoices = ["local", "together", "cross-encoder", "chat", "none"];

    /// <summary>The chat model that grades candidates for <c>--reranker chat</c> unless <c>--rerank-model</c> names another.</summary>
    public const string DefaultChatRerankModel = "meta-llama/Llama-3.3-70B-Instruct-Turbo";

    /// <summary>
    /// Starts loading the local models the settings need, each on its own thread-pool thread. An ONNX session takes
    /// about half a second to load, mostly on one core, and its first run is slow too; doing both for every model at
    /// once, while the dataset and caches load, takes that off the start-up critical path.
    /// </summary>
    public void StartLoadingLocalModels(List<IDisposable> owned)
    {
        if (IsLocal(settings.EffectiveEmbeddings)) LocalModel(settings.EffectiveEmbeddings, owned);
        // A bad model id or a missing folder is reported before anything loads.
        else if (EmbeddingModelReference.TryParse(settings.EffectiveEmbeddings) is { } reference) reference.Validate();
        if (settings.EffectiveReranker == "local")
        {
            LocalModel(RerankerModel("arctic"), owned);
            LocalModel(RerankerModel("minilm"), owned);
        }
    }

    public async Task<IEmbeddingGenerator<string, Embedding<float>>> CreateEmbeddingGeneratorAsync(string name, List<IDisposable> owned, CancellationToken cancellationToken = default) => name switch
    {
        _ when IsLocal(name) => await LocalModel(name, owned).ConfigureAwait(false),
        _ when EmbeddingModelReference.TryParse(name) is { } reference =>
            Own(new QueryEmbeddingCache(await reference.CreateGeneratorAsync(cacheDirectory, HubOptions(), cancellationToken).ConfigureAwait(false)), owned),
        // Queries are embedded by the first stage and again by the reranker's similarity signal: one remote call.
        "together" => new QueryEmbeddingCache(CreateTogetherEmbeddingGenerator(owned)),
        _ => throw new CliException($"Unknown --embeddings '{name}'; use one of: {string.Join(", ", EmbeddingChoices)}."),
    };

    private static bool IsLocal(string name) => name is "arctic-int8" or "arctic-fp32" or "minilm-int8" or "minilm-fp32";

    // The reranker's arctic signal runs at the first stage's precision, so with the default (or arctic-fp32) both stages
    // share one arctic generator and a query is embedded by it once. Its MiniLM signal stays fp32: in int8 it moved the
    // default pipeline's nDCG@5 on the dev queries from 0.594 to 0.584 (docs/performance.md).
    private string RerankerModel(string family) => family == "arctic" ? $"arctic-{settings.FirstStagePrecision}" : "minilm-fp32";

    /// <summary>
    /// A local model by its canonical name (see <see cref="PipelineSettings.EffectiveEmbeddings"/>); int8 variants are
    /// quantized once into <paramref name="cacheDirectory"/>. The bench builds its indexing contender here too.
    /// </summary>
    public static OnnxEmbeddingModel LocalEmbeddingModel(string name, string cacheDirectory) => name switch
    {
        "arctic-fp32" => OnnxEmbeddingModel.ArcticEmbedXs,
        "minilm-fp32" => OnnxEmbeddingModel.MiniLmL6V2,
        "arctic-int8" => OnnxEmbeddingModel.ArcticEmbedXs.Quantized(cacheDirectory),
        "minilm-int8" => OnnxEmbeddingModel.MiniLmL6V2.Quantized(cacheDirectory),
        _ => throw new CliException($"Unknown --embeddings '{name}'; use one of: {string.Join(", ", EmbeddingChoices)}."),
    };

    // One generator per local model, shared by both stages behind one query cache, so that a query embedded for the first
    // stage is not embedded again by the reranker (and the reranker can embed it ahead, see IQueryPreparingReranker).
    private Task<QueryEmbeddingCache> LocalModel(string name, List<IDisposable> owned)
    {
        lock (_localModels)
        {
            if (_localModels.TryGetValue(name, out var loading)) return loading;
            var model = LocalEmbeddingModel(name, cacheDirectory);
            loading = Task.Run(async () =>
            {
                var generator = new OnnxEmbeddingGenerator(model);
                // The first run of a session allocates its buffers and JIT-compiles our code; pay for it here, off the query.
                await generator.GenerateAsync(["warm up"], new EmbeddingGenerationOptions().WithInputType(EmbeddingInputType.Query)).ConfigureAwait(false);
                return new QueryEmbeddingCache(generator);
            });
            _localModels[name] = loading;
            owned.Add(new LoadingModel(loading));
            return loading;
        }
    }

    public async Task<IReranker?> CreateRerankerAsync(
        string name, IReadOnlyList<Movie> movies,
        List<IDisposable> owned, CancellationToken cancellationToken)
    {
        switch (name)
        {
            case "none":
                return null;
            case "local":
            {
                var reranker = await CreateLocalRerankerAsync(owned).ConfigureAwait(false);
                var texts = movies.Select(m => MovieText.Compose(m, settings.RerankFields ?? new MovieSearchOptions().RerankFields)).ToList();
                await reranker.WarmUpAsync(texts, cancellationToken).ConfigureAwait(false);
                return reranker;
            }
            case "together":
                return Together(owned).Reranker;
            case "cross-encoder":
                return await CreateCrossEncoderAsync(owned, cancellationToken).ConfigureAwait(false);
            case "chat":
                return CreateChatReranker();
            default:
                throw new CliException($"Unknown --reranker '{name}'; use one of: {string.Join(", ", RerankerChoices)}.");
        }
    }

    private async Task<SignalFusionReranker> CreateLocalRerankerAsync(List<IDisposable> owned)
    {
        // The reranker's models read all movie fields; both sit behind the disk cache, so documents are embedded once.
        var arctic = await LocalModel(RerankerModel("arctic"), owned).ConfigureAwait(false);
        var miniLm = await LocalModel(RerankerModel("minilm"), owned).ConfigureAwait(false);
        return LocalFusionReranker.Create(Cached(arctic, owned), Cached(miniLm, owned));
    }

    // One Together client pair per pipeline, so embeddings and reranking share the HTTP client and options.
    private TogetherClients Together(List<IDisposable> owned)
    {
        if (_together is not null) return _together;
        var options = TogetherOptions.FromEnvironment();
        if (settings.EmbeddingModel is { Length: > 0 } embeddingModel) options.EmbeddingModel = embeddingModel;
        if (settings.RerankModel is { Length: > 0 } rerankModel) options.RerankModel = rerankModel;
        if (string.IsNullOrWhiteSpace(options.ApiKey))
            throw new CliException($"A Together stage was selected but {TogetherOptions.ApiKeyEnvironmentVariable} is not set; export your API key or use --provider local.");
        _together = TogetherClientFactory.Create(options, loggerFactory);
        owned.Add(_together);
        return _together;
    }

    private static T Own<T>(T disposable, List<IDisposable> owned) where T : IDisposable
    {
        owned.Add(disposable);
        return disposable;
    }

    // One disk cache per model: the first stage and the reranker share arctic's, instead of each loading (and later
    // rewriting) the same cache file.
    public DiskCachingEmbeddingGenerator Cached(IEmbeddingGenerator<string, Embedding<float>> generator, List<IDisposable> owned)
    {
        lock (_diskCaches)
        {
            if (!_diskCaches.TryGetValue(generator, out var cached))
            {
                cached = Own(new DiskCachingEmbeddingGenerator(generator, Path.Combine(cacheDirectory, "embeddings"),
                    loggerFactory.CreateLogger<DiskCachingEmbeddingGenerator>()), owned);
                _diskCaches[generator] = cached;
            }
            return cached;
        }
    }

    private IEmbeddingGenerator<string, Embedding<float>> CreateTogetherEmbeddingGenerator(List<IDisposable> owned) =>
        Together(owned).EmbeddingGenerator;

    // An LLM grades the candidates through any OpenAI-compatible /chat/completions (Together's by default).
    private ChatCompletionReranker CreateChatReranker()
    {
        var options = TogetherOptions.FromEnvironment();
        if (string.IsNullOrWhiteSpace(options.ApiKey))
            throw new CliException($"--reranker chat calls {options.BaseUrl}/chat/completions but {TogetherOptions.ApiKeyEnvironmentVariable} is not set; export your API key or pick another --reranker.");
        var model = settings.RerankModel ?? DefaultChatRerankModel;
        // The endpoint overload of OpenAIChatCompletionService is experimental; an OpenAIClient with an endpoint is not.
        var client = new OpenAI.OpenAIClient(new System.ClientModel.ApiKeyCredential(options.ApiKey), new OpenAI.OpenAIClientOptions { Endpoint = new Uri(options.BaseUrl) });
        var chat = new OpenAIChatCompletionService(model, client, loggerFactory);
        return new ChatCompletionReranker(chat, new ChatCompletionRerankerOptions { ModelId = model }, loggerFactory.CreateLogger<ChatCompletionReranker>());
    }

    private async Task<IReranker> CreateCrossEncoderAsync(List<IDisposable> owned, CancellationToken cancellationToken)
    {
        var model = settings.RerankModel
            ?? throw new CliException("--reranker cross-encoder needs --rerank-model: a folder with model.onnx and vocab.txt (or tokenizer.json), or a Hugging Face id such as cross-encoder/ms-marco-MiniLM-L-6-v2.");
        var reranker = Directory.Exists(model)
            ? OnnxCrossEncoderReranker.FromDirectory(model)
            : await OnnxCrossEncoderReranker.FromHuggingFaceAsync(
                EmbeddingModelReference.WithoutHubPrefix(model), Path.Combine(cacheDirectory, "models"), HubOptions(), cancellationToken: cancellationToken).ConfigureAwait(false);
        owned.Add(reranker);
        return reranker;
    }

    // HF_ENDPOINT, HF_TOKEN and HF_HUB_OFFLINE come from the environment, as in the Hugging Face tools.
    private HuggingFaceHubOptions HubOptions() => new()
    {
        Progress = DownloadProgressWriter is { } writer ? new Output.DownloadProgressBar(writer) : null,
    };

    /// <summary>
    /// Disposes a model that is loading in the background, after waiting for the load to end: a process that exits
    /// (say, on a bad dataset) while ONNX Runtime is still building a session on another thread crashes in native code.
    /// </summary>
    private sealed class LoadingModel(Task<QueryEmbeddingCache> loading) : IDisposable
    {
        // A load takes about a second (more when it quantizes under load); this only bounds a hung one.
        private static readonly TimeSpan LoadWait = TimeSpan.FromSeconds(60);

        public void Dispose()
        {
            try
            {
                if (!loading.Wait(LoadWait)) return;
            }
            catch (AggregateException)
            {
                return; // a failed load has nothing to dispose; its error was reported where the model was used
            }

            loading.Result.Dispose();
        }
    }
}
