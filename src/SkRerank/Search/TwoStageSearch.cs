using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Linq.Expressions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.VectorData;
using SkRerank.Embeddings;
using SkRerank.Reranking;
using SkRerank.Telemetry;

namespace SkRerank.Search;

/// <summary>
/// Two-stage retrieval over any VectorData collection: the first stage finds candidates (dense, or hybrid where the
/// collection supports keyword search), the second reranks them with an <see cref="IReranker"/> reading the text
/// <see cref="TwoStageSearchOptions{TRecord}.RerankText"/> gives for each record. The movie search is one instance
/// (<see cref="MovieSearchService"/>); an application's own records are another.
/// </summary>
/// <typeparam name="TKey">The collection's key type.</typeparam>
/// <typeparam name="TRecord">The collection's record type.</typeparam>
public sealed class TwoStageSearch<TKey, TRecord>
    where TKey : notnull
    where TRecord : class
{
    private readonly VectorStoreCollection<TKey, TRecord> _collection;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embeddingGenerator;
    private readonly IReranker? _reranker;
    private readonly TwoStageSearchOptions<TRecord> _options;
    private readonly ILogger _logger;
    private readonly IKeywordHybridSearchable<TRecord>? _hybrid;
    private int _inFlight;

    /// <summary>Creates the search.</summary>
    /// <param name="collection">The indexed records.</param>
    /// <param name="embeddingGenerator">Embeds queries (called with <see cref="EmbeddingInputType.Query"/>); must be the model the collection was indexed with.</param>
    /// <param name="reranker">The second stage; <see langword="null"/> returns first-stage results.</param>
    /// <param name="options">Settings; <see cref="TwoStageSearchOptions{TRecord}.RerankText"/> is required with a reranker.</param>
    /// <param name="logger">Receives a warning when the reranker fails.</param>
    /// <exception cref="ArgumentException">A reranker is given without <see cref="TwoStageSearchOptions{TRecord}.RerankText"/>, or a setting is out of range.</exception>
    public TwoStageSearch(
        VectorStoreCollection<TKey, TRecord> collection,
        IEmbeddingGenerator<string, Embedding<float>> embeddingGenerator,
        IReranker? reranker,
        TwoStageSearchOptions<TRecord> options,
        ILogger? logger = null)
    {
        _collection = collection ?? throw new ArgumentNullException(nameof(collection));
        _embeddingGenerator = embeddingGenerator ?? throw new ArgumentNullException(nameof(embeddingGenerator));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        if (reranker is not null && options.RerankText is null)
            throw new ArgumentException(
                $"A reranker needs the text of each {typeof(TRecord).Name}: set {nameof(TwoStageSearchOptions<TRecord>.RerankText)} in the options (e.g. r => r.Title + \"\\n\" + r.Body).",
                nameof(options));
        if (options.AdditionalVectors.Count > 0 && options.RecordKey is null)
            throw new ArgumentException(
                $"Fusing first-stage rankings needs to know which hits are the same {typeof(TRecord).Name}: set {nameof(TwoStageSearchOptions<TRecord>.RecordKey)} in the options (e.g. r => r.Id).",
                nameof(options));
        _reranker = reranker;
        _logger = logger ?? NullLogger.Instance;
        _hybrid = collection.GetService(typeof(IKeywordHybridSearchable<TRecord>)) as IKeywordHybridSearchable<TRecord>;
    }

    /// <summary>The settings in use.</summary>
    public TwoStageSearchOptions<TRecord> Options => _options;

    /// <summary>The reranker, if any.</summary>
    public IReranker? Reranker => _reranker;

    /// <summary>The searched collection.</summary>
    public VectorStoreCollection<TKey, TRecord> Collection => _collection;

    /// <summary>Runs both stages.</summary>
    /// <exception cref="ArgumentException">The query is empty, or top N / candidates are out of range; the message says which.</exception>
    /// <exception cref="InvalidOperationException">A candidate has no text for the reranker.</exception>
    public async Task<TwoStageSearchResponse<TRecord>> SearchAsync(TwoStageSearchRequest<TRecord> request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Query))
            throw new ArgumentException("The search query is empty; describe what you are looking for.", nameof(request));
        var query = request.Query.Trim();
        var topN = request.TopN ?? _options.TopN;
        if (topN is < 1 or > TwoStageSearchOptions<TRecord>.MaxCandidates)
            throw new ArgumentOutOfRangeException(nameof(request), topN, $"top_n must be between 1 and {TwoStageSearchOptions<TRecord>.MaxCandidates}, but was {topN}.");
        var candidateCount = Math.Max(request.Candidates ?? _options.Candidates, topN);
        if (candidateCount > TwoStageSearchOptions<TRecord>.MaxCandidates)
            throw new ArgumentOutOfRangeException(nameof(request), candidateCount, $"candidates must be at most {TwoStageSearchOptions<TRecord>.MaxCandidates}, but was {candidateCount}.");
        var firstStageQuery = _options.FirstStageQuery?.Invoke(query) ?? query;

        // The reranker's query-side work does not need the candidates: when asked to, start it now, so it runs on
        // another core while this one embeds the query. When every core already serves a search, a head start only adds
        // thread hand-offs: RerankAsync does the work itself, later.
        var inFlight = Interlocked.Increment(ref _inFlight);
        try
        {
            if (_options.RerankerQueryHeadStart && _reranker?.GetService<IQueryPreparingReranker>() is { } preparer && !request.SkipReranking
                && inFlight <= Environment.ProcessorCount)
                _ = PrepareQuietlyAsync(preparer, query, cancellationToken);
            return await SearchCoreAsync(request, query, topN, candidateCount, firstStageQuery, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task<TwoStageSearchResponse<TRecord>> SearchCoreAsync(
        TwoStageSearchRequest<TRecord> request, string query, int topN, int candidateCount, string firstStageQuery, CancellationToken cancellationToken)
    {
        using var span = SkRerankTelemetry.ActivitySource.StartActivity(SkRerankTelemetry.Spans.Search);
        span?.SetTag(SkRerankTelemetry.Attributes.TopN, topN);
        var hybrid = _options.FirstStage == FirstStageMode.Hybrid ? _hybrid : null;
        span?.SetTag(SkRerankTelemetry.Attributes.FirstStageMode, hybrid is null ? "vector" : "hybrid");
        var started = Stopwatch.GetTimestamp();

        ReadOnlyMemory<float> queryVector;
        var additionalVectors = new ReadOnlyMemory<float>[_options.AdditionalVectors.Count];
        var clock = Stopwatch.StartNew();
        using (SkRerankTelemetry.ActivitySource.StartActivity(SkRerankTelemetry.Spans.EmbedQuery))
        {
            queryVector = await EmbedQueryAsync(_embeddingGenerator, firstStageQuery, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < additionalVectors.Length; i++)
                additionalVectors[i] = await EmbedQueryAsync(_options.AdditionalVectors[i].EmbeddingGenerator, firstStageQuery, cancellationToken).ConfigureAwait(false);
        }
        var embedMs = clock.Elapsed.TotalMilliseconds;
        RecordStage("embed_query", embedMs);

        clock.Restart();
        IReadOnlyList<TwoStageCandidate<TRecord>> candidates;
        using (var firstStage = SkRerankTelemetry.ActivitySource.StartActivity(SkRerankTelemetry.Spans.FirstStage))
        {
            candidates = additionalVectors.Length == 0
                ? await RetrieveAsync(hybrid, firstStageQuery, queryVector, candidateCount, request.Filter, cancellationToken).ConfigureAwait(false)
                : await RetrieveFusedAsync(hybrid, firstStageQuery, queryVector, additionalVectors, candidateCount, request.Filter, cancellationToken).ConfigureAwait(false);
            firstStage?.SetTag(SkRerankTelemetry.Attributes.FirstStageRankings, 1 + additionalVectors.Length);
            firstStage?.SetTag(SkRerankTelemetry.Attributes.Candidates, candidates.Count);
        }
        var searchMs = clock.Elapsed.TotalMilliseconds;
        RecordStage("first_stage", searchMs);
        span?.SetTag(SkRerankTelemetry.Attributes.Candidates, candidates.Count);

        clock.Restart();
        IReadOnlyList<TwoStageResult<TRecord>> results;
        var reranked = false;
        string? rerankError = null;
        if (_reranker is null || request.SkipReranking || candidates.Count == 0)
        {
            results = FirstStageResults(candidates, topN);
        }
        else
        {
            var documents = RerankTexts(candidates);
            var outcome = await CandidateReranking.RerankAsync(
                _reranker, query, documents, topN, _options.MinRelevanceScore, _options.FailOpen, _logger, cancellationToken,
                budget: _options.Timeout is { } timeout ? timeout - Stopwatch.GetElapsedTime(started) : null).ConfigureAwait(false);
            if (outcome.Ranked is { } ranked)
            {
                reranked = true;
                results = ranked.Select((r, i) =>
                {
                    var candidate = candidates[r.Index];
                    return new TwoStageResult<TRecord>(candidate.Record, r.RelevanceScore, candidate.VectorScore, i + 1, candidate.Rank);
                }).ToList();
            }
            else
            {
                rerankError = outcome.Error;
                results = FirstStageResults(candidates, topN);
            }
        }
        var rerankMs = clock.Elapsed.TotalMilliseconds;

        span?.SetTag(SkRerankTelemetry.Attributes.Reranked, reranked);
        if (reranked)
        {
            span?.SetTag(SkRerankTelemetry.Attributes.RerankerProvider, _reranker!.Metadata.ProviderName);
            span?.SetTag(SkRerankTelemetry.Attributes.RerankerModel, _reranker!.Metadata.ModelId);
        }
        if (rerankError is not null) span?.SetTag(SkRerankTelemetry.Attributes.FailOpenError, rerankError);
        SkRerankTelemetry.SearchDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);

        return new TwoStageSearchResponse<TRecord>
        {
            Query = query,
            Candidates = candidates,
            Results = results,
            Reranked = reranked,
            RerankError = rerankError,
            Reranker = reranked ? _reranker?.Metadata : null,
            Timings = new SearchTimings(embedMs, searchMs, rerankMs),
        };
    }

    private IReadOnlyList<string> RerankTexts(IReadOnlyList<TwoStageCandidate<TRecord>> candidates)
    {
        var texts = new string[candidates.Count];
        for (var i = 0; i < texts.Length; i++)
        {
            var text = _options.RerankText!(candidates[i].Record);
            if (string.IsNullOrWhiteSpace(text))
                throw new InvalidOperationException(
                    $"Candidate {i + 1} ({typeof(TRecord).Name}) has no text for the reranker: {nameof(TwoStageSearchOptions<TRecord>.RerankText)} returned an empty string.");
            texts[i] = text;
        }
        return texts;
    }

    private static void RecordStage(string stage, double milliseconds) =>
        SkRerankTelemetry.StageDuration.Record(milliseconds / 1000, new KeyValuePair<string, object?>(CandidateReranking.StageTag, stage));

    private static async Task PrepareQuietlyAsync(IQueryPreparingReranker preparer, string query, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Run(() => preparer.PrepareQueryAsync(query, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Only a head start: the reranker does the same work again and reports (or fails open on) any error.
        }
    }

    private static async Task<ReadOnlyMemory<float>> EmbedQueryAsync(
        IEmbeddingGenerator<string, Embedding<float>> generator, string query, CancellationToken cancellationToken)
    {
        var embeddings = await generator
            .GenerateAsync([query], new EmbeddingGenerationOptions().WithInputType(EmbeddingInputType.Query), cancellationToken)
            .ConfigureAwait(false);
        return embeddings[0].Vector;
    }

    private async Task<IReadOnlyList<TwoStageCandidate<TRecord>>> RetrieveAsync(
        IKeywordHybridSearchable<TRecord>? hybrid, string query, ReadOnlyMemory<float> queryVector, int top,
        Expression<Func<TRecord, bool>>? filter, CancellationToken cancellationToken)
    {
        var hits = await SearchOwnRankingAsync(hybrid, query, queryVector, top, filter, cancellationToken).ConfigureAwait(false);
        return hits.Select((hit, i) => new TwoStageCandidate<TRecord>(hit.Record, hit.Score, i + 1)).ToList();
    }

    /// <summary>The search's own ranking and each additional vector ranking, read deeper than the pool, then fused.</summary>
    private async Task<IReadOnlyList<TwoStageCandidate<TRecord>>> RetrieveFusedAsync(
        IKeywordHybridSearchable<TRecord>? hybrid, string query, ReadOnlyMemory<float> queryVector, ReadOnlyMemory<float>[] additionalVectors,
        int top, Expression<Func<TRecord, bool>>? filter, CancellationToken cancellationToken)
    {
        var depth = Math.Max(top * _options.FusionDepthFactor, TwoStageSearchOptions<TRecord>.MinFusionDepth);
        var rankings = new List<FirstStageFusion.Ranking<TRecord>>(1 + additionalVectors.Length)
        {
            new(await SearchOwnRankingAsync(hybrid, query, queryVector, depth, filter, cancellationToken).ConfigureAwait(false), 1),
        };
        for (var i = 0; i < additionalVectors.Length; i++)
        {
            var additional = _options.AdditionalVectors[i];
            var hits = _collection.SearchAsync(additionalVectors[i], depth,
                new VectorSearchOptions<TRecord> { Filter = filter, VectorProperty = additional.VectorProperty }, cancellationToken);
            rankings.Add(new(await ReadAsync(hits, depth).ConfigureAwait(false), additional.Weight));
        }
        return FirstStageFusion.Fuse(rankings, _options.RecordKey!, top)
            .Select((hit, i) => new TwoStageCandidate<TRecord>(hit.Record, hit.Score, i + 1))
            .ToList();
    }

    private async Task<List<(TRecord Record, double Score)>> SearchOwnRankingAsync(
        IKeywordHybridSearchable<TRecord>? hybrid, string query, ReadOnlyMemory<float> queryVector, int top,
        Expression<Func<TRecord, bool>>? filter, CancellationToken cancellationToken)
    {
        IAsyncEnumerable<VectorSearchResult<TRecord>> hits;
        if (hybrid is not null)
        {
            var keywords = query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            hits = hybrid.HybridSearchAsync(queryVector, keywords, top,
                new HybridSearchOptions<TRecord> { Filter = filter, AdditionalProperty = _options.KeywordProperty, VectorProperty = _options.VectorProperty },
                cancellationToken);
        }
        else
        {
            hits = _collection.SearchAsync(queryVector, top, new VectorSearchOptions<TRecord> { Filter = filter, VectorProperty = _options.VectorProperty }, cancellationToken);
        }
        return await ReadAsync(hits, top).ConfigureAwait(false);
    }

    private static async Task<List<(TRecord Record, double Score)>> ReadAsync(IAsyncEnumerable<VectorSearchResult<TRecord>> hits, int capacity)
    {
        var list = new List<(TRecord Record, double Score)>(capacity);
        await foreach (var hit in hits.ConfigureAwait(false)) list.Add((hit.Record, hit.Score ?? 0));
        return list;
    }

    private static IReadOnlyList<TwoStageResult<TRecord>> FirstStageResults(IReadOnlyList<TwoStageCandidate<TRecord>> candidates, int topN) =>
        candidates.Take(topN).Select(c => new TwoStageResult<TRecord>(c.Record, c.VectorScore, c.VectorScore, c.Rank, c.Rank)).ToList();
}
