using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel.Data;
using SkRerank.Reranking;

namespace SkRerank.TextSearch;

/// <summary>
/// What both reranking text search decorators do: ask the inner search for the candidate pool once, rerank it, and
/// return the requested page in reranked order with scores in the metadata.
/// </summary>
internal sealed class TextSearchPoolReranker
{
    private readonly IReranker _reranker;
    private readonly RerankingTextSearchOptions _options;
    private readonly ILogger _logger;

    public TextSearchPoolReranker(IReranker reranker, RerankingTextSearchOptions? options, ILogger? logger)
    {
        _reranker = reranker ?? throw new ArgumentNullException(nameof(reranker),
            "A reranking text search needs a reranker (any IReranker, e.g. the local fusion reranker or TogetherReranker).");
        _options = options ?? new RerankingTextSearchOptions();
        Validator.ValidateObject(_options, new ValidationContext(_options), validateAllProperties: true);
        _logger = logger ?? NullLogger.Instance;
    }

    public IReranker Reranker => _reranker;

    public RerankingTextSearchOptions Options => _options;

    /// <summary>Runs the inner search for the pool (<paramref name="searchPool"/> gets the pool size) and reranks it.</summary>
    /// <param name="query">The user's query.</param>
    /// <param name="top">Results asked for.</param>
    /// <param name="skip">Results to skip, counted in reranked order.</param>
    /// <param name="searchPool">Runs the inner search with Skip 0 and the given Top.</param>
    /// <param name="textOf">The text of a result for the reranker.</param>
    /// <param name="cancellationToken">Passed to the inner search and the reranker.</param>
    public async Task<KernelSearchResults<T>> SearchAsync<T>(
        string query, int top, int skip, Func<int, Task<KernelSearchResults<T>>> searchPool, Func<T, string?> textOf,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(query)) throw new ArgumentException("The search query is empty.", nameof(query));
        if (top < 1) throw new ArgumentOutOfRangeException(nameof(top), top, $"Top must be at least 1, but was {top}.");
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        if (_options.CandidatePool < skip + top)
            throw new ArgumentException(
                $"The candidate pool ({_options.CandidatePool}) is smaller than the {skip + top} results asked for (Skip {skip} + Top {top}); " +
                $"raise {nameof(RerankingTextSearchOptions)}.{nameof(RerankingTextSearchOptions.CandidatePool)} or ask for fewer.",
                nameof(top));

        var inner = await searchPool(_options.CandidatePool).ConfigureAwait(false);
        var candidates = new List<T>(_options.CandidatePool);
        await foreach (var result in inner.Results.WithCancellation(cancellationToken).ConfigureAwait(false))
            candidates.Add(result);

        var texts = new string[candidates.Count];
        for (var i = 0; i < texts.Length; i++)
        {
            var text = textOf(candidates[i]);
            if (string.IsNullOrWhiteSpace(text))
                throw new InvalidOperationException($"Result {i + 1} of the inner text search ({typeof(T).Name}) has no text for the reranker.");
            texts[i] = text;
        }

        var metadata = inner.Metadata is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(inner.Metadata);
        List<T> page;
        int[] candidateRanks;
        if (candidates.Count == 0)
        {
            page = [];
            candidateRanks = [];
            metadata[RerankedTextSearchMetadata.Reranked] = false;
        }
        else
        {
            var outcome = await CandidateReranking.RerankAsync(
                _reranker, query, texts, skip + top, _options.MinRelevanceScore, _options.FailOpen, _logger, cancellationToken).ConfigureAwait(false);
            if (outcome.Ranked is { } ranked)
            {
                var kept = ranked.Skip(skip).ToList();
                page = kept.Select(r => candidates[r.Index]).ToList();
                candidateRanks = kept.Select(r => r.Index + 1).ToArray();
                metadata[RerankedTextSearchMetadata.Reranked] = true;
                metadata[RerankedTextSearchMetadata.RelevanceScores] = kept.Select(r => r.RelevanceScore).ToArray();
                metadata[RerankedTextSearchMetadata.Reranker] = _reranker.Metadata;
            }
            else
            {
                page = candidates.Skip(skip).Take(top).ToList();
                candidateRanks = Enumerable.Range(skip + 1, page.Count).ToArray();
                metadata[RerankedTextSearchMetadata.Reranked] = false;
                metadata[RerankedTextSearchMetadata.RerankError] = outcome.Error;
            }
        }
        metadata[RerankedTextSearchMetadata.CandidateRanks] = candidateRanks;
        return new KernelSearchResults<T>(page.ToAsyncEnumerable(), inner.TotalCount, metadata);
    }
}
