using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkRerank.DependencyInjection;
using SkRerank.Onnx.Embeddings;
using SkRerank.Onnx.HuggingFace;
using SkRerank.Onnx.Reranking;
using SkRerank.Reranking;
using SkRerank.Together;

namespace SkRerank.Cli.Composition;

/// <summary>
/// Turns the components a user picked by name on the command line into the library's registrations
/// (<c>AddLocalMovieSearch</c>, <c>AddTogetherMovieSearch</c>, <c>AddMovieSearch</c> and their builder's choices), so
/// the CLI runs exactly the pipeline an SK application registers.
/// </summary>
internal sealed class ComponentFactory(PipelineSettings settings, string cacheDirectory)
{
    public static readonly string[] EmbeddingChoices = ["arctic", "minilm", "together", "arctic-int8", "arctic-fp32", "minilm-int8", "minilm-fp32", "hf:OWNER/NAME", "a model folder"];

    /// <summary>Where model download progress bars go (stderr); none when <see langword="null"/>.</summary>
    public TextWriter? DownloadProgressWriter { get; init; }
    public static readonly string[] RerankerChoices = ["local", "together", "cross-encoder", "chat", "none"];

    /// <summary>The chat model that grades candidates for <c>--reranker chat</c> unless <c>--rerank-model</c> names another.</summary>
    public const string DefaultChatRerankModel = "meta-llama/Llama-3.3-70B-Instruct-Turbo";

    /// <summary>Registers the movie search with the chosen components; <paramref name="crossEncoder"/> is the loaded <c>--reranker cross-encoder</c>, if chosen.</summary>
    /// <remarks><paramref name="namedModel"/> is the loaded <c>--embeddings hf:OWNER/NAME</c> or folder model, if chosen.</remarks>
    public MovieSearchBuilder Register(IServiceCollection services, IReranker? crossEncoder, OnnxEmbeddingModel? namedModel = null)
    {
        var embeddings = settings.EffectiveEmbeddings;
        var reranker = settings.EffectiveReranker;
        MovieSearchBuilder builder;
        if (IsLocal(embeddings) || namedModel is not null)
        {
            builder = services.AddLocalMovieSearch(o =>
            {
                o.EmbeddingModel = namedModel ?? LocalEmbeddingModel(embeddings, cacheDirectory);
                o.CacheDirectory = cacheDirectory;
                o.Rerank = reranker == "local";
            });
        }
        else
        {
            builder = services.AddTogetherMovieSearch(ConfigureTogether, cacheDirectory);
            if (reranker == "local") builder.UseLocalReranker(cacheDirectory);
        }

        switch (reranker)
        {
            case "together" when IsLocal(embeddings):
                services.AddTogetherReranker(ConfigureTogether);
                builder.UseReranker(sp => sp.GetRequiredService<TogetherReranker>());
                break;
            case "cross-encoder":
                builder.UseReranker(_ => crossEncoder!);
                break;
            case "chat":
                builder.UseReranker(CreateChatReranker);
                break;
            case "none":
                builder.UseNoReranker();
                break;
        }
        TraceReranker(services);
        return builder.UseStore(settings);
    }

    /// <summary>
    /// Wraps the movie search's reranker in an <see cref="OpenTelemetryReranker"/>, so <c>--trace</c> and OTLP export show
    /// each reranker call (provider, model, document count) under the search's <c>skrerank.rerank</c> span.
    /// </summary>
    private static void TraceReranker(IServiceCollection services)
    {
        var chosen = services.LastOrDefault(d => d.IsKeyedService && d.ServiceType == typeof(IReranker)
            && Equals(d.ServiceKey, MovieSearchBuilder.ServiceKey));
        if (chosen is null) return;
        services.Remove(chosen);
        services.AddKeyedSingleton<IReranker>(MovieSearchBuilder.ServiceKey, (sp, key) =>
        {
            var inner = chosen.KeyedImplementationInstance as IReranker
                ?? chosen.KeyedImplementationFactory?.Invoke(sp, key) as IReranker
                ?? (IReranker)ActivatorUtilities.CreateInstance(sp, chosen.KeyedImplementationType!);
            return inner.AsBuilder().UseOpenTelemetry().Build(sp);
        });
    }

    private void ConfigureTogether(TogetherOptions options)
    {
        if (settings.EmbeddingModel is { Length: > 0 } embeddingModel) options.EmbeddingModel = embeddingModel;
        if (settings.RerankModel is { Length: > 0 } rerankModel && settings.EffectiveReranker == "together") options.RerankModel = rerankModel;
        if (settings.RerankBaseUrl is { Length: > 0 } rerankBaseUrl) options.RerankBaseUrl = rerankBaseUrl;
        if (settings.Timeout is { } budget) options.TotalTimeout = budget;
    }

    private static bool IsLocal(string name) => name is "arctic-int8" or "arctic-fp32" or "minilm-int8" or "minilm-fp32";

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

    /// <summary>Loads the <c>--reranker cross-encoder</c> model (a folder, or a Hugging Face id downloaded into the cache).</summary>
    public async Task<IReranker?> LoadCrossEncoderAsync(CancellationToken cancellationToken)
    {
        if (settings.EffectiveReranker != "cross-encoder") return null;
        var model = settings.RerankModel!;
        return Directory.Exists(model)
            ? OnnxCrossEncoderReranker.FromDirectory(model)
            : await OnnxCrossEncoderReranker.FromHuggingFaceAsync(
                EmbeddingModelReference.WithoutHubPrefix(model), Path.Combine(cacheDirectory, "models"), HubOptions(), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Downloads (once) or reads the <c>--embeddings hf:OWNER/NAME</c> or folder model; <see langword="null"/> for a
    /// built-in or remote choice.
    /// </summary>
    public async Task<OnnxEmbeddingModel?> LoadNamedEmbeddingModelAsync(CancellationToken cancellationToken) =>
        EmbeddingModelReference.TryParse(settings.EffectiveEmbeddings) is { } reference
            ? await reference.LoadModelAsync(cacheDirectory, HubOptions(), cancellationToken).ConfigureAwait(false)
            : null;

    // HF_ENDPOINT, HF_TOKEN and HF_HUB_OFFLINE come from the environment, as in the Hugging Face tools.
    private HuggingFaceHubOptions HubOptions() => new()
    {
        Progress = DownloadProgressWriter is { } writer ? new Output.DownloadProgressBar(writer) : null,
    };

    // An LLM grades the candidates through any OpenAI-compatible /chat/completions (Together's by default).
    private ChatCompletionReranker CreateChatReranker(IServiceProvider services)
    {
        var options = TogetherOptions.FromEnvironment();
        var model = settings.RerankModel ?? DefaultChatRerankModel;
        var loggerFactory = services.GetRequiredService<ILoggerFactory>();
        // The endpoint overload of OpenAIChatCompletionService is experimental; an OpenAIClient with an endpoint is not.
        var client = new OpenAI.OpenAIClient(new System.ClientModel.ApiKeyCredential(options.ApiKey!), new OpenAI.OpenAIClientOptions { Endpoint = new Uri(options.BaseUrl) });
        var chat = new OpenAIChatCompletionService(model, client, loggerFactory);
        return new ChatCompletionReranker(chat, new ChatCompletionRerankerOptions { ModelId = model }, loggerFactory.CreateLogger<ChatCompletionReranker>());
    }
}
