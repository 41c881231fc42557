using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel.Data;
using SkRerank.Reranking;

namespace SkRerank.TextSearch;

// SK's own text search plugins (CreateWithSearch, CreateWithGetTextSearchResults) and TextSearchProvider take the
// non-generic ITextSearch, which SK 1.82 marks obsolete in favour of ITextSearch<TRecord>; this decorator serves them.
#pragma warning disable CS0618

/// <summary>
/// Reranks any Semantic Kernel <see cref="ITextSearch"/>: asks the inner search for a larger candidate pool
/// (<see cref="RerankingTextSearchOptions.CandidatePool"/>, 25 by default) once, reranks it with an
/// <see cref="IReranker"/>, and returns the requested <c>Top</c> in reranked order — names and links kept, scores in
/// <see cref="KernelSearchResults{T}.Metadata"/> (<see cref="RerankedTextSearchMetadata"/>). Use it wherever SK takes an
/// <see cref="ITextSearch"/>: <c>CreateWithGetTextSearchResults</c>, <c>CreateWithSearch</c>, <c>TextSearchProvider</c>.
/// Create one with <c>textSearch.WithReranking(reranker)</c>.
/// </summary>
/// <remarks>
/// The reranker reads a result's value (<see cref="TextSearchResult.Value"/>, the string itself, or for
/// <see cref="GetSearchResultsAsync"/> the record's text, see the constructor). The inner search runs once per search,
/// so the query is embedded once, by the inner search.
/// </remarks>
public sealed class RerankingTextSearch : ITextSearch
{
    private readonly ITextSearch _inner;
    private readonly TextSearchPoolReranker _pool;
    private readonly Func<object, string?> _recordText;

    /// <summary>Creates the decorator.</summary>
    /// <param name="inner">The search whose results are reranked.</param>
    /// <param name="reranker">The reranker; required.</param>
    /// <param name="options">Pool size, score floor, fail-open; defaults when <see langword="null"/>.</param>
    /// <param name="recordText">
    /// The text of a record returned by <see cref="GetSearchResultsAsync"/>; by default its
    /// <see cref="TextSearchResultValueAttribute"/> property (as <c>VectorStoreTextSearch</c> maps records).
    /// </param>
    /// <param name="logger">Receives a warning when the reranker fails.</param>
    /// <exception cref="ArgumentNullException">No inner search or no reranker.</exception>
    public RerankingTextSearch(
        ITextSearch inner, IReranker reranker, RerankingTextSearchOptions? options = null, Func<object, string?>? recordText = null, ILogger? logger = null)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _pool = new TextSearchPoolReranker(reranker, options, logger);
        _recordText = recordText ?? TextSearchResultText.Of;
    }

    /// <summary>The reranker.</summary>
    public IReranker Reranker => _pool.Reranker;

    /// <summary>The settings in use.</summary>
    public RerankingTextSearchOptions Options => _pool.Options;

    /// <inheritdoc />
    public Task<KernelSearchResults<string>> SearchAsync(string query, TextSearchOptions? searchOptions = null, CancellationToken cancellationToken = default)
    {
        searchOptions ??= new TextSearchOptions();
        return _pool.SearchAsync(query, searchOptions.Top, searchOptions.Skip,
            pool => _inner.SearchAsync(query, PoolOptions(searchOptions, pool), cancellationToken), text => text, cancellationToken);
    }

    /// <inheritdoc />
    public Task<KernelSearchResults<TextSearchResult>> GetTextSearchResultsAsync(string query, TextSearchOptions? searchOptions = null, CancellationToken cancellationToken = default)
    {
        searchOptions ??= new TextSearchOptions();
        return _pool.SearchAsync(query, searchOptions.Top, searchOptions.Skip,
            pool => _inner.GetTextSearchResultsAsync(query, PoolOptions(searchOptions, pool), cancellationToken), result => result.Value, cancellationToken);
    }

    /// <inheritdoc />
    public Task<KernelSearchResults<object>> GetSearchResultsAsync(string query, TextSearchOptions? searchOptions = null, CancellationToken cancellationToken = default)
    {
        searchOptions ??= new TextSearchOptions();
        return _pool.SearchAsync(query, searchOptions.Top, searchOptions.Skip,
            pool => _inner.GetSearchResultsAsync(query, PoolOptions(searchOptions, pool), cancellationToken), _recordText, cancellationToken);
    }

    // The pool is the first page of the inner search; the caller's Skip applies to the reranked order.
    private static TextSearchOptions PoolOptions(TextSearchOptions options, int pool) => new()
    {
        Top = pool,
        Skip = 0,
        Filter = options.Filter,
        IncludeTotalCount = options.IncludeTotalCount,
    };
}
