using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Embeddings;
using Microsoft.SemanticKernel.Services;
using SkRerank.Embeddings;
using SkRerank.Together.Wire;

namespace SkRerank.Together;

// ITextEmbeddingGenerationService is obsolete (and experimental) in SK 1.82 in favour of IEmbeddingGenerator, but the
// product owner asked for it so older SK code (kernel.GetRequiredService<ITextEmbeddingGenerationService>()) works too.
#pragma warning disable CS0618, SKEXP0001

/// <summary>
/// Embeds texts with Together's <c>POST {base}/embeddings</c> (OpenAI-shaped), in batches of
/// <see cref="TogetherOptions.EmbeddingBatchSize"/> sent <see cref="TogetherOptions.MaxConcurrency"/> at a time, results in
/// input order. Serves both Microsoft.Extensions.AI's <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> (what SK's
/// vector store collections consume) and SK's older <see cref="ITextEmbeddingGenerationService"/>.
/// </summary>
public sealed class TogetherEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>, ITextEmbeddingGenerationService
{
    private readonly TogetherOptions _options;
    private readonly TogetherApiClient _client;
    private readonly ILogger _logger;
    private readonly Uri _providerUri;
    private readonly int? _configuredDimensions;
    private int _learnedDimensions;

    /// <summary>Creates the generator. Use <c>AddTogetherEmbeddingGenerator</c> or <see cref="TogetherClientFactory"/>, which also set up the "Together" HTTP client with retries.</summary>
    /// <param name="httpClientFactory">Supplies the client named <see cref="TogetherOptions.HttpClientName"/>.</param>
    /// <param name="options">The settings; validated when read.</param>
    /// <param name="loggerFactory">For logs; none when <see langword="null"/>.</param>
    /// <exception cref="OptionsValidationException">The settings are invalid, e.g. no API key.</exception>
    public TogetherEmbeddingGenerator(IHttpClientFactory httpClientFactory, IOptions<TogetherOptions> options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<TogetherEmbeddingGenerator>();
        _client = new TogetherApiClient(httpClientFactory, _options, _logger);
        _providerUri = new Uri(_options.NormalizedBaseUrl);
        _configuredDimensions = _options.EmbeddingDimensions
            ?? (TogetherModels.TryGetEmbeddingDimensions(_options.EmbeddingModel, out var known) ? known : null);
        Attributes = new Dictionary<string, object?>
        {
            [AIServiceExtensions.ModelIdKey] = _options.EmbeddingModel,
            [AIServiceExtensions.EndpointKey] = _options.NormalizedBaseUrl,
            [EmbeddingGenerationExtensions.DimensionsKey] = _configuredDimensions,
        };
    }

    /// <summary>The default model.</summary>
    public string ModelId => _options.EmbeddingModel;

    /// <summary>Vector length: configured, from <see cref="TogetherModels"/>, or learned from the first response; <see langword="null"/> until known.</summary>
    public int? Dimensions => _configuredDimensions ?? (Volatile.Read(ref _learnedDimensions) is > 0 and var learned ? learned : null);

    /// <summary>Provider "together" (or <see cref="TogetherOptions.ProviderName"/>), base URL, model and dimensions.</summary>
    public EmbeddingGeneratorMetadata Metadata => new(_options.ProviderName, _providerUri, _options.EmbeddingModel, Dimensions);

    /// <summary>SK service attributes: model id, endpoint and (when known up front) dimensions.</summary>
    public IReadOnlyDictionary<string, object?> Attributes { get; }

    /// <summary>
    /// The vector length, embedding one short probe text when the model is unknown (collections need it before the first real call).
    /// </summary>
    /// <param name="cancellationToken">Cancels the probe.</param>
    public async Task<int> GetDimensionsAsync(CancellationToken cancellationToken = default)
    {
        if (Dimensions is { } dimensions) return dimensions;
        var probe = await GenerateAsync(["dimension probe"], cancellationToken: cancellationToken).ConfigureAwait(false);
        return probe[0].Vector.Length;
    }

    /// <inheritdoc />
    /// <remarks>
    /// <see cref="EmbeddingGenerationOptions.ModelId"/> overrides the model for this call. Together cannot shorten
    /// vectors, so <see cref="EmbeddingGenerationOptions.Dimensions"/> must match the model's size when set. Texts marked
    /// as queries (<see cref="EmbeddingInputTypeExtensions.WithInputType"/>) get <see cref="TogetherOptions.QueryInstruction"/> (by default the model's own, e.g. e5-instruct's).
    /// </remarks>
    /// <exception cref="TogetherException">The service failed or answered something other than one vector per text.</exception>
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values as IReadOnlyList<string> ?? values.ToList();
        for (var i = 0; i < texts.Count; i++)
        {
            if (texts[i] is null) throw new ArgumentException($"Text {i} is null.", nameof(values));
        }

        if (texts.Count == 0) return [];
        cancellationToken.ThrowIfCancellationRequested();

        var model = string.IsNullOrWhiteSpace(options?.ModelId) ? _options.EmbeddingModel : options.ModelId;
        var sameModel = string.Equals(model, _options.EmbeddingModel, StringComparison.Ordinal);
        int? expected = sameModel ? Dimensions : TogetherModels.TryGetEmbeddingDimensions(model, out var d) ? d : null;
        if (options?.Dimensions is { } requested && expected is { } size && requested != size)
        {
            throw new ArgumentException($"Model '{model}' produces {size}-dimensional vectors and Together cannot change that; {requested} were requested.", nameof(options));
        }

        if (options.GetInputType() == EmbeddingInputType.Query && _options.EffectiveQueryInstruction(model) is { Length: > 0 } instruction)
        {
            texts = texts.Select(t => instruction + t).ToList();
        }

        var batchSize = _options.EmbeddingBatchSize;
        var batchCount = (texts.Count + batchSize - 1) / batchSize;
        var concurrency = Math.Min(_options.MaxConcurrency, batchCount);
        TogetherLog.EmbeddingStarted(_logger, texts.Count, model, batchCount, batchSize, concurrency);
        var started = Stopwatch.GetTimestamp();

        var vectors = new float[texts.Count][];
        long promptTokens = 0, totalTokens = 0;
        var sawUsage = 0;
        var firstSeen = expected ?? 0;
        string? responseModel = null;

        await Parallel.ForEachAsync(
            Enumerable.Range(0, batchCount),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (batch, token) =>
            {
                var offset = batch * batchSize;
                var input = texts.Skip(offset).Take(batchSize).ToList();
                var response = await _client.PostAsync(
                    TogetherOperation.Embeddings,
                    model,
                    new EmbeddingsRequest { Model = model, Input = input },
                    TogetherJsonContext.Default.EmbeddingsRequest,
                    TogetherJsonContext.Default.EmbeddingsResponse,
                    token).ConfigureAwait(false);

                var batchVectors = Validate(response, model, input.Count, ref firstSeen);
                Array.Copy(batchVectors, 0, vectors, offset, batchVectors.Length);
                if (response.Usage is { } usage)
                {
                    Interlocked.Add(ref promptTokens, usage.PromptTokens ?? 0);
                    Interlocked.Add(ref totalTokens, usage.TotalTokens ?? usage.PromptTokens ?? 0);
                    Volatile.Write(ref sawUsage, 1);
                }

                responseModel ??= response.Model;
            }).ConfigureAwait(false);

        if (sameModel && _configuredDimensions is null) Interlocked.CompareExchange(ref _learnedDimensions, firstSeen, 0);
        if (options?.Dimensions is { } asked && asked != firstSeen)
        {
            throw new ArgumentException($"Model '{model}' produces {firstSeen}-dimensional vectors and Together cannot change that; {asked} were requested.", nameof(options));
        }

        TogetherLog.EmbeddingFinished(_logger, texts.Count, model, firstSeen, TogetherApiClient.ElapsedMs(started));
        var createdAt = DateTimeOffset.UtcNow;
        var result = new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v) { ModelId = responseModel ?? model, CreatedAt = createdAt }));
        if (sawUsage == 1)
        {
            result.Usage = new UsageDetails { InputTokenCount = promptTokens, TotalTokenCount = totalTokens };
        }

        return result;
    }

    /// <summary>Checks one batch's answer against the API's promises and returns the vectors in input order.</summary>
    private float[][] Validate(EmbeddingsResponse response, string model, int expectedCount, ref int dimensions)
    {
        if (response.Data is not { } data)
        {
            throw _client.InvalidResponse(TogetherOperation.Embeddings, model, "has no \"data\" array");
        }

        if (data.Count != expectedCount)
        {
            throw _client.InvalidResponse(TogetherOperation.Embeddings, model, $"holds {data.Count} embeddings for {expectedCount} texts");
        }

        var ordered = new float[expectedCount][];
        foreach (var item in data)
        {
            if (item?.Index is not { } index)
            {
                throw _client.InvalidResponse(TogetherOperation.Embeddings, model, "has an embedding without an \"index\"");
            }

            if (index < 0 || index >= expectedCount)
            {
                throw _client.InvalidResponse(TogetherOperation.Embeddings, model, $"has index {index}, outside 0..{expectedCount - 1} for a batch of {expectedCount}");
            }

            if (ordered[index] is not null)
            {
                throw _client.InvalidResponse(TogetherOperation.Embeddings, model, $"has index {index} twice");
            }

            if (item.Embedding is not { Length: > 0 } vector)
            {
                throw _client.InvalidResponse(TogetherOperation.Embeddings, model, $"has an empty \"embedding\" at index {index}");
            }

            // The first vector fixes the size for the whole call (and, for the default model, for the generator).
            var size = Interlocked.CompareExchange(ref dimensions, vector.Length, 0);
            if (size == 0) size = vector.Length;
            if (vector.Length != size)
            {
                throw _client.InvalidResponse(TogetherOperation.Embeddings, model, $"has a {vector.Length}-dimensional vector at index {index} where {size} dimensions were expected");
            }

            ordered[index] = vector;
        }

        return ordered;
    }

    /// <inheritdoc />
    /// <exception cref="TogetherException">The service failed or answered something other than one vector per text.</exception>
    public async Task<IList<ReadOnlyMemory<float>>> GenerateEmbeddingsAsync(IList<string> data, Kernel? kernel = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var embeddings = await GenerateAsync(data, cancellationToken: cancellationToken).ConfigureAwait(false);
        return embeddings.Select(e => e.Vector).ToList();
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(EmbeddingGeneratorMetadata)) return Metadata;
        if (serviceType == typeof(EmbeddingBatching)) return new EmbeddingBatching(_options.EmbeddingBatchSize * _options.MaxConcurrency);
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Nothing to release: HTTP clients belong to <c>IHttpClientFactory</c>.</summary>
    public void Dispose()
    {
    }
}
#pragma warning restore CS0618, SKEXP0001
