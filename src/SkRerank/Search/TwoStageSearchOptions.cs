using System.ComponentModel.DataAnnotations;
using System.Linq.Expressions;

namespace SkRerank.Search;

/// <summary>Settings of a <see cref="TwoStageSearch{TKey, TRecord}"/> over records of type <typeparamref name="TRecord"/>.</summary>
/// <typeparam name="TRecord">The collection's record type.</typeparam>
public sealed class TwoStageSearchOptions<TRecord>
    where TRecord : class
{
    /// <summary>The largest candidate pool (and top N) a search may ask for.</summary>
    public const int MaxCandidates = 500;

    /// <summary>How many candidates the first stage retrieves for the reranker (the cookbook uses 25).</summary>
    [Range(1, MaxCandidates)]
    public int Candidates { get; set; } = 25;

    /// <summary>How many results are returned after reranking (the cookbook uses 5).</summary>
    [Range(1, MaxCandidates)]
    public int TopN { get; set; } = 5;

    /// <summary>Reranked results scoring below this are dropped; <see langword="null"/> keeps all. Scales differ per reranker.</summary>
    public double? MinRelevanceScore { get; set; }

    /// <summary>
    /// When the reranker fails, return the first-stage order marked as not reranked (and log a warning) instead of
    /// failing the search.
    /// </summary>
    public bool FailOpen { get; set; } = true;

    /// <summary>
    /// The time a whole search may take; when the reranker has not answered by then, the search fails open (first-stage
    /// order, not reranked, with the reason) instead of waiting for a slow remote reranker and its retries.
    /// <see langword="null"/> (the default) sets no budget. The CLI's <c>--timeout</c> sets it.
    /// </summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>How the first stage retrieves candidates.</summary>
    public FirstStageMode FirstStage { get; set; } = FirstStageMode.Hybrid;

    /// <summary>
    /// Start the reranker's query-side work (<see cref="Reranking.IQueryPreparingReranker"/>) on another core while the
    /// first stage embeds the query; skipped while as many searches run as there are cores.
    /// </summary>
    public bool RerankerQueryHeadStart { get; set; }

    /// <summary>
    /// The text of a record the reranker reads (e.g. title and body). Required when the search has a reranker; a record
    /// whose text is empty is an error, since a reranker cannot judge it.
    /// </summary>
    public Func<TRecord, string?>? RerankText { get; set; }

    /// <summary>
    /// Rewrites the query for the first stage only (the reranker always reads the whole query), e.g. to drop a clause
    /// embeddings cannot read; <see langword="null"/> searches with the query as given.
    /// </summary>
    public Func<string, string>? FirstStageQuery { get; set; }

    /// <summary>
    /// The full-text property the hybrid first stage matches keywords against, where the collection needs one named;
    /// <see langword="null"/> lets the collection choose (the in-memory store searches every full-text property).
    /// </summary>
    public Expression<Func<TRecord, object?>>? KeywordProperty { get; set; }

    /// <summary>
    /// The vector property the first stage's own ranking searches, where the record has more than one;
    /// <see langword="null"/> lets the collection choose (its only vector property).
    /// </summary>
    public Expression<Func<TRecord, object?>>? VectorProperty { get; set; }

    /// <summary>
    /// More dense rankings the first stage fuses with its own (weighted z-score, see <see cref="FirstStageVector{TRecord}"/>),
    /// e.g. a second model's embeddings of the same records. Empty by default: the first stage is one search.
    /// </summary>
    public IList<FirstStageVector<TRecord>> AdditionalVectors { get; } = new List<FirstStageVector<TRecord>>();

    /// <summary>
    /// Identifies a record across the first stage's rankings (each search returns its own instances), e.g.
    /// <c>r => r.Id</c>. Required with <see cref="AdditionalVectors"/>.
    /// </summary>
    public Func<TRecord, object>? RecordKey { get; set; }

    /// <summary>
    /// How deep each first-stage ranking is read before fusion, as a multiple of the candidates asked for (at least
    /// <see cref="MinFusionDepth"/>); only used with <see cref="AdditionalVectors"/>. A record one model ranks low can
    /// still reach the candidates when the other ranks it high.
    /// </summary>
    [Range(1, 20)]
    public int FusionDepthFactor { get; set; } = 2;

    /// <summary>The fewest hits each first-stage ranking is read to before fusion.</summary>
    public const int MinFusionDepth = 100;
}
