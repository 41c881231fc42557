using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkRerank.Movies;
using SkRerank.Reranking;
using SkRerank.Together.Wire;

namespace SkRerank.Together;

/// <summary>
/// Reranks with Together's <c>POST {base}/rerank</c> on a dedicated endpoint (Together serves no rerank model
/// serverless): Salesforce/Llama-Rank-V1 by default, which gets object documents with <c>rank_fields</c>; every other
/// model (e.g. mixedbread-ai/Mxbai-Rerank-Large-V2) gets plain strings. The same request and
/// response shape is spoken by Cohere v1 and Jina, so pointing <see cref="TogetherOptions.BaseUrl"/> and
/// <see cref="TogetherOptions.RerankModel"/> at them works too; text-embeddings-inference needs
/// <see cref="TogetherRerankProtocol.TextEmbeddingsInference"/>.
/// </summary>
public sealed class TogetherReranker : IReranker
{
    private readonly TogetherOptions _options;
    private readonly TogetherApiClient _client;
    private readonly ILogger _logger;

    /// <summary>Creates the reranker. Use <c>AddTogetherReranker</c> or <see cref="TogetherClientFactory"/>, which also set up the "Together" HTTP client with retries.</summary>
    /// <param name="httpClientFactory">Supplies the client named <see cref="TogetherOptions.HttpClientName"/>.</param>
    /// <param name="options">The settings; validated when read.</param>
    /// <param name="loggerFactory">For logs; none when <see langword="null"/>.</param>
    /// <exception cref="OptionsValidationException">The settings are invalid, e.g. no API key.</exception>
    public TogetherReranker(IHttpClientFactory httpClientFactory, IOptions<TogetherOptions> options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<TogetherReranker>();
        _client = new TogetherApiClient(httpClientFactory, _options, _logger);
        Metadata = new RerankerMetadata(_options.ProviderName, _options.RerankModel);
    }

    /// <inheritdoc />
    public RerankerMetadata Metadata { get; }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) => this.GetOwnService(serviceType, serviceKey);

    /// <summary>Nothing to release: the HTTP client and options belong to the container.</summary>
    public void Dispose()
    {
    }

    /// <inheritdoc />
    /// <remarks>Documents are sent as plain strings, with <c>return_documents: false</c> since only indexes are needed.</remarks>
    /// <exception cref="ArgumentException"><paramref name="query"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="RerankOptions.TopN"/> (top_n) is not between 1 and the document count.</exception>
    /// <exception cref="TogetherException">The service failed or answered with missing, repeated or out-of-range indexes.</exception>
    public Task<IReadOnlyList<RerankResult>> RerankAsync(
        string query,
        IReadOnlyList<string> documents,
        RerankOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        for (var i = 0; i < documents.Count; i++)
        {
            if (documents[i] is null) throw new ArgumentException($"Document {i} is null.", nameof(documents));
        }

        return _options.RerankProtocol == TogetherRerankProtocol.TextEmbeddingsInference
            ? RerankTeiAsync(query, documents, options, cancellationToken)
            : RerankCoreAsync(query, documents, null, options, TogetherJsonContext.Default.RerankRequestString, cancellationToken);
    }

    /// <summary>
    /// Reranks JSON-object documents, ranking by the fields named in <paramref name="rankFields"/> (Llama-Rank's and
    /// Cohere v1's <c>rank_fields</c>). Other Together rerank models take strings only, so for them each document is
    /// sent as its rank fields' values joined by new lines.
    /// </summary>
    /// <param name="query">The search query; must not be empty.</param>
    /// <param name="documents">The documents, as field name → text.</param>
    /// <param name="rankFields">The fields to rank by; <see langword="null"/> lets the service use every field.</param>
    /// <param name="options">top_n and model for this call.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Results by descending score, each with the index of its document.</returns>
    /// <exception cref="ArgumentException"><paramref name="query"/> is empty, or a rank field is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">top_n is not between 1 and the document count.</exception>
    /// <exception cref="NotSupportedException">The endpoint is configured as text-embeddings-inference, which takes strings only.</exception>
    /// <exception cref="TogetherException">The service failed or answered with missing, repeated or out-of-range indexes.</exception>
    public Task<IReadOnlyList<RerankResult>> RerankAsync(
        string query,
        IReadOnlyList<IReadOnlyDictionary<string, string>> documents,
        IReadOnlyList<string>? rankFields,
        RerankOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (_options.RerankProtocol == TogetherRerankProtocol.TextEmbeddingsInference)
        {
            throw new NotSupportedException("text-embeddings-inference's /rerank takes plain strings; object documents with rank_fields need a Together or Cohere-compatible endpoint.");
        }

        if (rankFields is not null && rankFields.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("rank_fields must not contain empty names.", nameof(rankFields));
        }

        var model = string.IsNullOrWhiteSpace(options?.ModelId) ? _options.RerankModel : options.ModelId;
        if (!SendsObjects(model))
        {
            // Only Llama-Rank reads objects; every other Together rerank endpoint takes strings, so the rank fields
            // are joined into one text per document (in rank_fields order).
            return RerankAsync(query, documents.Select(d => Flatten(d, rankFields)).ToList(), options, cancellationToken);
        }

        return RerankCoreAsync(query, documents, rankFields, options, TogetherJsonContext.Default.RerankRequestIReadOnlyDictionaryStringString, cancellationToken);
    }

    /// <summary>
    /// Reranks movies, sending each as one string of the chosen fields (title, overview, tagline by default: the
    /// cookbook sent titles only, which hides why "The Dark Knight" matches a query about bats) or, with
    /// <see cref="TogetherRerankDocuments.Objects"/>, as an object with those fields named in <c>rank_fields</c>.
    /// </summary>
    /// <param name="query">The search query; must not be empty.</param>
    /// <param name="movies">The candidates.</param>
    /// <param name="fields">Which movie fields to rank by.</param>
    /// <param name="options">top_n and model for this call.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Results by descending score, each with the index of its movie in <paramref name="movies"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="query"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">top_n is not between 1 and the movie count.</exception>
    /// <exception cref="TogetherException">The service failed or answered with missing, repeated or out-of-range indexes.</exception>
    public Task<IReadOnlyList<RerankResult>> RerankMoviesAsync(
        string query,
        IReadOnlyList<Movie> movies,
        MovieTextFields fields = MovieTextFields.Default,
        RerankOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(movies);
        var model = string.IsNullOrWhiteSpace(options?.ModelId) ? _options.RerankModel : options.ModelId;
        if (_options.RerankDocuments == TogetherRerankDocuments.Text
            || (_options.RerankDocuments == TogetherRerankDocuments.Auto && !SendsObjects(model))
            || _options.RerankProtocol == TogetherRerankProtocol.TextEmbeddingsInference)
        {
            return RerankAsync(query, movies.Select(m => MovieText.Compose(m, fields)).ToList(), options, cancellationToken);
        }

        var rankFields = MovieFieldNames(fields);
        var documents = movies.Select(m => (IReadOnlyDictionary<string, string>)MovieFields(m, fields)).ToList();
        return RerankAsync(query, documents, rankFields, options, cancellationToken);
    }

    private async Task<IReadOnlyList<RerankResult>> RerankCoreAsync<TDocument>(
        string query,
        IReadOnlyList<TDocument> documents,
        IReadOnlyList<string>? rankFields,
        RerankOptions? options,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<RerankRequest<TDocument>> requestType,
        CancellationToken cancellationToken)
    {
        var topN = ValidateArguments(query, documents.Count, options);
        cancellationToken.ThrowIfCancellationRequested();
        if (documents.Count == 0) return [];

        var model = string.IsNullOrWhiteSpace(options?.ModelId) ? _options.RerankModel : options.ModelId;
        TogetherLog.RerankStarted(_logger, documents.Count, model, topN);
        var response = await _client.PostAsync(
            TogetherOperation.Rerank,
            model,
            new RerankRequest<TDocument>
            {
                Model = model,
                Query = query,
                Documents = documents,
                TopN = topN,
                ReturnDocuments = false,
                RankFields = rankFields,
            },
            requestType,
            TogetherJsonContext.Default.RerankResponse,
            cancellationToken).ConfigureAwait(false);

        if (response.Results is not { } results)
        {
            throw _client.InvalidResponse(TogetherOperation.Rerank, model, "has no \"results\" array");
        }

        return Check(results.Select(r => (r?.Index, r?.RelevanceScore)).ToList(), documents.Count, topN ?? documents.Count, model);
    }

    private async Task<IReadOnlyList<RerankResult>> RerankTeiAsync(string query, IReadOnlyList<string> documents, RerankOptions? options, CancellationToken cancellationToken)
    {
        var topN = ValidateArguments(query, documents.Count, options);
        cancellationToken.ThrowIfCancellationRequested();
        if (documents.Count == 0) return [];

        // TEI serves the one model it loaded; the configured name only labels errors and logs.
        var model = string.IsNullOrWhiteSpace(options?.ModelId) ? _options.RerankModel : options.ModelId;
        TogetherLog.RerankStarted(_logger, documents.Count, model, topN);
        var results = await _client.PostAsync(
            TogetherOperation.Rerank,
            model,
            new TeiRerankRequest { Query = query, Texts = documents, ReturnText = false },
            TogetherJsonContext.Default.TeiRerankRequest,
            TogetherJsonContext.Default.ListTeiRerankItem,
            cancellationToken).ConfigureAwait(false);

        var ranked = Check(results.Select(r => (r?.Index, r?.Score)).ToList(), documents.Count, documents.Count, model);
        return topN is { } n ? ranked.Take(n).ToList() : ranked;
    }

    /// <summary>Checks the arguments before anything is sent; returns top_n, or <see langword="null"/> for all documents.</summary>
    private static int? ValidateArguments(string query, int documentCount, RerankOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        if (options?.TopN is { } topN && (topN < 1 || topN > documentCount))
        {
            throw new ArgumentOutOfRangeException(
                nameof(options),
                topN,
                $"top_n (RerankOptions.TopN) must be between 1 and the number of documents ({documentCount}); it was {topN}.");
        }

        return options?.TopN;
    }

    /// <summary>Rejects a missing, repeated or out-of-range index or score, and orders by descending score.</summary>
    private List<RerankResult> Check(List<(int? Index, double? Score)> results, int documentCount, int expectedCount, string model)
    {
        if (results.Count != expectedCount)
        {
            throw _client.InvalidResponse(TogetherOperation.Rerank, model, $"holds {results.Count} results where {expectedCount} were expected");
        }

        var seen = new bool[documentCount];
        var ranked = new List<RerankResult>(results.Count);
        foreach (var (index, score) in results)
        {
            if (index is not { } i)
            {
                throw _client.InvalidResponse(TogetherOperation.Rerank, model, "has a result without an \"index\"");
            }

            if (i < 0 || i >= documentCount)
            {
                throw _client.InvalidResponse(TogetherOperation.Rerank, model, $"has index {i}, outside 0..{documentCount - 1} for {documentCount} documents");
            }

            if (seen[i])
            {
                throw _client.InvalidResponse(TogetherOperation.Rerank, model, $"has index {i} twice");
            }

            if (score is not { } s || !double.IsFinite(s))
            {
                throw _client.InvalidResponse(TogetherOperation.Rerank, model, $"has no finite relevance score for index {i}");
            }

            seen[i] = true;
            ranked.Add(new RerankResult(i, s));
        }

        // The API returns results best first; sorting anyway keeps IReranker's promise for endpoints that do not.
        ranked.Sort((a, b) => b.RelevanceScore != a.RelevanceScore ? b.RelevanceScore.CompareTo(a.RelevanceScore) : a.Index.CompareTo(b.Index));
        return ranked;
    }

    /// <summary>
    /// Whether object documents go to <paramref name="model"/> as objects: always for a non-Together endpoint (Cohere v1
    /// takes them) or when <see cref="TogetherRerankDocuments.Objects"/> is forced; on Together only for Llama-Rank.
    /// </summary>
    private bool SendsObjects(string model) =>
        _options.RerankDocuments == TogetherRerankDocuments.Objects
        || !string.Equals(_options.ProviderName, "together", StringComparison.OrdinalIgnoreCase)
        || TogetherModels.AcceptsObjectDocuments(model);

    private static string Flatten(IReadOnlyDictionary<string, string> document, IReadOnlyList<string>? rankFields)
    {
        ArgumentNullException.ThrowIfNull(document);
        var fields = rankFields ?? document.Keys.ToList();
        return string.Join("\n", fields.Select(f => document.TryGetValue(f, out var value) ? value : "").Where(v => v.Length > 0));
    }

    private static List<string> MovieFieldNames(MovieTextFields fields)
    {
        var names = new List<string>(5);
        if (fields.HasFlag(MovieTextFields.Title)) names.Add("title");
        if (fields.HasFlag(MovieTextFields.Overview)) names.Add("overview");
        if (fields.HasFlag(MovieTextFields.Tagline)) names.Add("tagline");
        if (fields.HasFlag(MovieTextFields.Director)) names.Add("director");
        if (fields.HasFlag(MovieTextFields.Genres)) names.Add("genres");
        return names;
    }

    private static Dictionary<string, string> MovieFields(Movie movie, MovieTextFields fields)
    {
        // Every named rank field is present (empty when the movie lacks it) so the service never sees a missing key.
        var document = new Dictionary<string, string>(5);
        if (fields.HasFlag(MovieTextFields.Title)) document["title"] = movie.Title;
        if (fields.HasFlag(MovieTextFields.Overview)) document["overview"] = movie.Overview;
        if (fields.HasFlag(MovieTextFields.Tagline)) document["tagline"] = movie.Tagline ?? "";
        if (fields.HasFlag(MovieTextFields.Director)) document["director"] = movie.Director;
        if (fields.HasFlag(MovieTextFields.Genres)) document["genres"] = string.Join(", ", movie.Genres);
        return document;
    }
}
