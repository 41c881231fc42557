using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using SkRerank.Reranking;
using SkRerank.TextSearch;

// In SK's namespace, so that WithReranking shows up next to CreateWithGetTextSearchResults wherever text search is used.
namespace Microsoft.SemanticKernel.Data;

/// <summary>Adds reranking to Semantic Kernel text search in one line.</summary>
public static class TextSearchRerankingExtensions
{
#pragma warning disable CS0618 // SK's plugins and TextSearchProvider take the (obsolete) non-generic ITextSearch.
    /// <summary>
    /// Reranks <paramref name="textSearch"/>: each search fetches <see cref="RerankingTextSearchOptions.CandidatePool"/>
    /// results (25 by default) and returns the requested top N in <paramref name="reranker"/>'s order.
    /// </summary>
    /// <param name="textSearch">Any text search, e.g. <c>VectorStoreTextSearch&lt;TRecord&gt;</c>.</param>
    /// <param name="reranker">The reranker.</param>
    /// <param name="options">Pool size, score floor, fail-open.</param>
    /// <param name="logger">Receives a warning when the reranker fails.</param>
    public static RerankingTextSearch WithReranking(
        this ITextSearch textSearch, IReranker reranker, RerankingTextSearchOptions? options = null, ILogger? logger = null) =>
        new(textSearch, reranker, options, recordText: null, logger);
#pragma warning restore CS0618

    /// <summary>
    /// Reranks <paramref name="textSearch"/> reading <paramref name="recordText"/> of each record: each search fetches
    /// <see cref="RerankingTextSearchOptions.CandidatePool"/> results and returns the requested top N in reranked order.
    /// </summary>
    /// <param name="textSearch">Any typed text search, e.g. <c>VectorStoreTextSearch&lt;TRecord&gt;</c>.</param>
    /// <param name="reranker">The reranker.</param>
    /// <param name="recordText">The text of a record the reranker reads.</param>
    /// <param name="options">Pool size, score floor, fail-open.</param>
    /// <param name="logger">Receives a warning when the reranker fails.</param>
    [Experimental("SKEXP0001")]
    public static RerankingTextSearch<TRecord> WithReranking<TRecord>(
        this ITextSearch<TRecord> textSearch, IReranker reranker, Func<TRecord, string?> recordText, RerankingTextSearchOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(recordText);
        return new(textSearch, reranker, recordText, options, logger);
    }
}
