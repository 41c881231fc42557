using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel.Data;
using SkRerank.Reranking;

namespace SkRerank.TextSearch;

/// <summary>
/// Reranks any Semantic Kernel <see cref="ITextSearch{TRecord}"/> (e.g. <c>VectorStoreTextSearch&lt;TRecord&gt;</c> with
/// LINQ filters): the inner search returns a larger candidate pool once, the <see cref="IReranker"/> reorders it, and
/// the requested <c>Top</c> comes back in reranked order with scores in the metadata (<see cref="RerankedTextSearchMetadata"/>).
/// Create one with <c>textSearch.WithReranking(reranker, record =&gt; record.Text)</c>.
/// </summary>
/// <typeparam name="TRecord">The record type searched.</typeparam>
// ITextSearch<TRecord> is experimental in SK 1.82 (SKEXP0001); so is its decorator.
[Experimental("SKEXP0001")]
public sealed class RerankingTextSearch<TRecord> : ITextSearch<TRecord>
{
    private readonly ITextSearch<TRecord> _inner;
    private readonly TextSearchPoolReranker _pool;
    private readonly Func<TRecord, string?> _recordText;

    /// <summary>Creates the decorator.</summary>
    /// <param name="inner">The search whose results are reranked.</param>
    /// <param name="reranker">The reranker; required.</param>
    /// <param name="recordText">The text of a record the reranker reads (for <see cref="GetSearchResultsAsync"/>); <see langword="null"/> uses its <see cref="TextSearchResultValueAttribute"/> property.</param>
    /// <param name="options">Pool size, score floor, fail-open; defaults when <see langword="null"/>.</param>
    /// <param name="logger">Receives a warning when the reranker fails.</param>
    /// <exception cref="ArgumentNullException">No inner search or no reranker.</exception>
    /// <exception cref="ArgumentException"><paramref name="recordText"/> is null and <typeparamref name="TRecord"/> has no <see cref="TextSearchResultValueAttribute"/> property.</exception>
    public RerankingTextSearch(
        ITextSearch<TRecord> inner, IReranker reranker, Func<TRecord, string?>? recordText = null, RerankingTextSearchOptions? options = null, ILogger? logger = null)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _pool = new TextSearchPoolReranker(reranker, options, logger);
        if (recordText is null && !TextSearchResultText.HasValueProperty(typeof(TRecord)))
            throw new ArgumentException(
                $"The reranker needs the text of each {typeof(TRecord).Name}: pass recordText (e.g. r => r.Text) or mark its text property [TextSearchResultValue].",
                nameof(recordText));
        _recordText = recordText ?? (record => record is null ? null : TextSearchResultText.Of(record));
    }

    /// <summary>The reranker.</summary>
    public IReranker Reranker => _pool.Reranker;

    /// <summary>The settings in use.</summary>
    public RerankingTextSearchOptions Options => _pool.Options;

    /// <inheritdoc />
    public Task<KernelSearchResults<string>> SearchAsync(string query, TextSearchOptions<TRecord>? searchOptions = null, CancellationToken cancellationToken = default)
    {
        searchOptions ??= new TextSearchOptions<TRecord>();
        return _pool.SearchAsync(query, searchOptions.Top, searchOptions.Skip,
            pool => _inner.SearchAsync(query, PoolOptions(searchOptions, pool), cancellationToken), text => text, cancellationToken);
    }

    /// <inheritdoc />
    public Task<KernelSearchResults<TextSearchResult>> GetTextSearchResultsAsync(string query, TextSearchOptions<TRecord>? searchOptions = null, CancellationToken cancellationToken = default)
    {
        searchOptions ??= new TextSearchOptions<TRecord>();
        return _pool.SearchAsync(query, searchOptions.Top, searchOptions.Skip,
            pool => _inner.GetTextSearchResultsAsync(query, PoolOptions(searchOptions, pool), cancellationToken), result => result.Value, cancellationToken);
    }

    /// <inheritdoc />
    public Task<KernelSearchResults<TRecord>> GetSearchResultsAsync(string query, TextSearchOptions<TRecord>? searchOptions = null, CancellationToken cancellationToken = default)
    {
        searchOptions ??= new TextSearchOptions<TRecord>();
        return _pool.SearchAsync(query, searchOptions.Top, searchOptions.Skip,
            pool => _inner.GetSearchResultsAsync(query, PoolOptions(searchOptions, pool), cancellationToken), _recordText, cancellationToken);
    }

    private static TextSearchOptions<TRecord> PoolOptions(TextSearchOptions<TRecord> options, int pool) => new()
    {
        Top = pool,
        Skip = 0,
        Filter = options.Filter,
        IncludeTotalCount = options.IncludeTotalCount,
    };
}
