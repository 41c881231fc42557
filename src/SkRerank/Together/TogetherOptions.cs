namespace SkRerank.Together;

/// <summary>
/// Settings for Together's embeddings and rerank endpoints (or any endpoint that speaks the same wire format, such as
/// Cohere v1 or Jina for <c>/rerank</c>). Bind with Microsoft.Extensions.Options through
/// <c>AddTogether(...)</c>, or build with <see cref="FromEnvironment(Func{string, string?}?)"/> for the CLI.
/// </summary>
public sealed class TogetherOptions
{
    /// <summary>The environment variable that holds the API key.</summary>
    public const string ApiKeyEnvironmentVariable = "TOGETHER_API_KEY";

    /// <summary>The environment variable that overrides <see cref="BaseUrl"/>.</summary>
    public const string BaseUrlEnvironmentVariable = "TOGETHER_BASE_URL";

    /// <summary>The environment variable that overrides <see cref="RerankBaseUrl"/> (a dedicated endpoint served elsewhere).</summary>
    public const string RerankBaseUrlEnvironmentVariable = "TOGETHER_RERANK_BASE_URL";

    /// <summary>Together's public API (https://api.together.ai/v1 is the same service).</summary>
    public const string DefaultBaseUrl = "https://api.together.xyz/v1";

    /// <summary>The name of the <see cref="System.Net.Http.HttpClient"/> registered with <c>IHttpClientFactory</c>.</summary>
    public const string HttpClientName = "Together";

    /// <summary>The bearer token. Defaults to <see cref="ApiKeyEnvironmentVariable"/> when bound through DI or <see cref="FromEnvironment(Func{string, string?}?)"/>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Base URL of the API, up to and including the version segment; <c>/embeddings</c> and <c>/rerank</c> are appended.</summary>
    public string BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>Who runs the endpoint, reported in metadata ("together" by default; say "jina" or "cohere" when pointing elsewhere).</summary>
    public string ProviderName { get; set; } = "together";

    /// <summary>
    /// The embedding model, as Together names it: <see cref="TogetherModels.MultilingualE5LargeInstruct"/> (serverless) by
    /// default; <see cref="TogetherModels.BgeBaseEnV15"/> (the cookbook's) or a dedicated endpoint's model by name.
    /// </summary>
    public string EmbeddingModel { get; set; } = TogetherModels.MultilingualE5LargeInstruct;

    /// <summary>
    /// Length of the embedding vectors. Leave <see langword="null"/> for models in <see cref="TogetherModels"/>; for
    /// others it is learned from the first response (or ask <see cref="TogetherEmbeddingGenerator.GetDimensionsAsync"/>).
    /// </summary>
    public int? EmbeddingDimensions { get; set; }

    /// <summary>
    /// Prefix added to texts embedded as <see cref="Embeddings.EmbeddingInputType.Query"/> (documents never get one).
    /// <see langword="null"/> (the default) uses the model's documented instruction
    /// (<see cref="TogetherModels.DefaultQueryInstruction"/>: e5-instruct's "Instruct: …\nQuery: ", none for bge as in
    /// the cookbook); an empty string sends queries as they are.
    /// </summary>
    public string? QueryInstruction { get; set; }

    /// <summary>
    /// The rerank model: the model (or dedicated endpoint name) to put in the request. Together serves no rerank model
    /// serverless, so this must name a dedicated endpoint's model, e.g. <see cref="TogetherModels.LlamaRankV1"/> (the
    /// default) or <see cref="TogetherModels.MxbaiRerankLargeV2"/>.
    /// </summary>
    public string RerankModel { get; set; } = TogetherModels.LlamaRankV1;

    /// <summary>
    /// Base URL of the rerank endpoint when it differs from <see cref="BaseUrl"/> (a dedicated endpoint behind its own
    /// URL); <see langword="null"/> uses <see cref="BaseUrl"/>. Defaults to <c>TOGETHER_RERANK_BASE_URL</c> when bound from the environment.
    /// </summary>
    public string? RerankBaseUrl { get; set; }

    /// <summary>How documents are sent to <c>/rerank</c> by <see cref="TogetherReranker.RerankMoviesAsync"/>.</summary>
    public TogetherRerankDocuments RerankDocuments { get; set; } = TogetherRerankDocuments.Auto;

    /// <summary>The request and response shape of the rerank endpoint.</summary>
    public TogetherRerankProtocol RerankProtocol { get; set; } = TogetherRerankProtocol.Cohere;

    /// <summary>How many texts go in one <c>/embeddings</c> request.</summary>
    public int EmbeddingBatchSize { get; set; } = 128;

    /// <summary>How many <c>/embeddings</c> requests one call keeps in flight at once.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>How long one attempt may take, including reading the response.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The time budget of one call, every attempt and retry wait included (the CLI's <c>--timeout</c>); when it runs out
    /// the call fails with <see cref="TogetherErrorKind.Timeout"/> and a fail-open search answers in first-stage order.
    /// <see langword="null"/> (the default) allows every attempt its full <see cref="Timeout"/>.
    /// </summary>
    public TimeSpan? TotalTimeout { get; set; }

    /// <summary>How many times a request is retried after 429, 408, 5xx, a network error or a timeout.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The median first backoff delay when the service sends no <c>retry-after-ms</c>/<c>retry-after</c>; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Upper bound on any one retry delay, including one the service asks for.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Options with <see cref="ApiKey"/> and <see cref="BaseUrl"/> taken from <c>TOGETHER_API_KEY</c> and
    /// <c>TOGETHER_BASE_URL</c> where set, everything else at its default. Not validated: the CLI gets a one-line
    /// <see cref="TogetherConfigurationException"/> from <see cref="TogetherClientFactory.Create"/> or <see cref="Validate"/>.
    /// </summary>
    /// <param name="getVariable">Reads a variable; <see cref="Environment.GetEnvironmentVariable(string)"/> by default.</param>
    public static TogetherOptions FromEnvironment(Func<string, string?>? getVariable = null)
    {
        var options = new TogetherOptions();
        options.ApplyEnvironment(getVariable ?? Environment.GetEnvironmentVariable);
        return options;
    }

    /// <summary>Throws <see cref="TogetherConfigurationException"/> listing every invalid setting.</summary>
    /// <exception cref="TogetherConfigurationException">A setting is missing or out of range.</exception>
    public void Validate()
    {
        var failures = TogetherOptionsValidator.GetFailures(this);
        if (failures.Count > 0)
        {
            throw new TogetherConfigurationException(string.Join(" ", failures));
        }
    }

    /// <summary>
    /// Fills the API key and base URL from the environment where they are still unset (key empty, URL at its default),
    /// so values set in code win whatever order the configuration runs in.
    /// </summary>
    internal void ApplyEnvironment(Func<string, string?> getVariable)
    {
        if (string.IsNullOrWhiteSpace(ApiKey) && getVariable(ApiKeyEnvironmentVariable) is { } key && !string.IsNullOrWhiteSpace(key))
        {
            ApiKey = key.Trim();
        }

        if ((string.IsNullOrWhiteSpace(BaseUrl) || BaseUrl == DefaultBaseUrl) && getVariable(BaseUrlEnvironmentVariable) is { } url && !string.IsNullOrWhiteSpace(url))
        {
            BaseUrl = url.Trim();
        }

        if (string.IsNullOrWhiteSpace(RerankBaseUrl) && getVariable(RerankBaseUrlEnvironmentVariable) is { } rerankUrl && !string.IsNullOrWhiteSpace(rerankUrl))
        {
            RerankBaseUrl = rerankUrl.Trim();
        }
    }

    /// <summary>Copies every setting onto <paramref name="target"/> (the non-DI factory binds a caller's instance this way).</summary>
    internal void CopyTo(TogetherOptions target)
    {
        target.ApiKey = ApiKey;
        target.BaseUrl = BaseUrl;
        target.ProviderName = ProviderName;
        target.EmbeddingModel = EmbeddingModel;
        target.EmbeddingDimensions = EmbeddingDimensions;
        target.QueryInstruction = QueryInstruction;
        target.RerankModel = RerankModel;
        target.RerankBaseUrl = RerankBaseUrl;
        target.TotalTimeout = TotalTimeout;
        target.RerankDocuments = RerankDocuments;
        target.RerankProtocol = RerankProtocol;
        target.EmbeddingBatchSize = EmbeddingBatchSize;
        target.MaxConcurrency = MaxConcurrency;
        target.Timeout = Timeout;
        target.MaxRetries = MaxRetries;
        target.RetryBaseDelay = RetryBaseDelay;
        target.MaxRetryDelay = MaxRetryDelay;
    }

    /// <summary>The base URL without a trailing slash, so paths can be appended.</summary>
    internal string NormalizedBaseUrl => BaseUrl.TrimEnd('/');

    /// <summary>The rerank endpoint's base URL without a trailing slash.</summary>
    internal string NormalizedRerankBaseUrl => string.IsNullOrWhiteSpace(RerankBaseUrl) ? NormalizedBaseUrl : RerankBaseUrl.Trim().TrimEnd('/');

    /// <summary>The query prefix in effect: <see cref="QueryInstruction"/>, else the model's documented one.</summary>
    internal string? EffectiveQueryInstruction(string model) => QueryInstruction ?? TogetherModels.DefaultQueryInstruction(model);

    /// <summary>How long one attempt may take: <see cref="Timeout"/>, but never more than <see cref="TotalTimeout"/>.</summary>
    internal TimeSpan AttemptTimeout => TotalTimeout is { } total && total < Timeout ? total : Timeout;
}
