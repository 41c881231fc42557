using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SkRerank.Telemetry;

/// <summary>
/// The OpenTelemetry names SkRerank reports under. Add <see cref="ActivitySourceName"/> to a tracer provider
/// (<c>AddSource("SkRerank")</c>) and <see cref="MeterName"/> to a meter provider (<c>AddMeter("SkRerank")</c>) to
/// receive its spans and metrics; nothing is recorded while no listener is attached.
/// </summary>
public static class SkRerankTelemetry
{
    /// <summary>Name of the <see cref="System.Diagnostics.ActivitySource"/> of every SkRerank span.</summary>
    public const string ActivitySourceName = "SkRerank";

    /// <summary>Name of the <see cref="System.Diagnostics.Metrics.Meter"/> of every SkRerank instrument.</summary>
    public const string MeterName = "SkRerank";

    /// <summary>Span names (operation names), so tests and dashboards need no string literals.</summary>
    public static class Spans
    {
        /// <summary>One two-stage search: the parent of the stage spans.</summary>
        public const string Search = "skrerank.search";
        /// <summary>Embedding the query for the first stage.</summary>
        public const string EmbedQuery = "skrerank.embed_query";
        /// <summary>The first stage (vector or hybrid search in the collection).</summary>
        public const string FirstStage = "skrerank.first_stage";
        /// <summary>The second stage (the reranker).</summary>
        public const string Rerank = "skrerank.rerank";
    }

    /// <summary>Span attribute names.</summary>
    public static class Attributes
    {
        /// <summary>How many candidates the first stage returned.</summary>
        public const string Candidates = "skrerank.candidates";
        /// <summary>How many results were asked for.</summary>
        public const string TopN = "skrerank.top_n";
        /// <summary>Whether the results are in the reranker's order.</summary>
        public const string Reranked = "skrerank.reranked";
        /// <summary>The reranker's provider (e.g. "together", "local").</summary>
        public const string RerankerProvider = "skrerank.reranker.provider";
        /// <summary>The reranker's model.</summary>
        public const string RerankerModel = "skrerank.reranker.model";
        /// <summary>Why the reranker failed when the search failed open (results in first-stage order).</summary>
        public const string FailOpenError = "skrerank.fail_open.error";
        /// <summary>How many documents a reranker call was given (<see cref="Reranking.OpenTelemetryReranker"/>).</summary>
        public const string RerankDocuments = "skrerank.rerank.documents";
        /// <summary>The first stage's mode (vector or hybrid).</summary>
        public const string FirstStageMode = "skrerank.first_stage.mode";
        /// <summary>How many rankings the first stage fused (1, or more with <see cref="Search.TwoStageSearchOptions{TRecord}.AdditionalVectors"/>).</summary>
        public const string FirstStageRankings = "skrerank.first_stage.rankings";
    }

    /// <summary>Instrument names.</summary>
    public static class Instruments
    {
        /// <summary>Histogram of whole-search durations, in seconds.</summary>
        public const string SearchDuration = "skrerank.search.duration";
        /// <summary>Histogram of stage durations, in seconds, tagged with <c>skrerank.stage</c>.</summary>
        public const string StageDuration = "skrerank.stage.duration";
        /// <summary>Counter of searches whose reranker failed and that answered in first-stage order.</summary>
        public const string FailOpen = "skrerank.rerank.fail_open";
        /// <summary>Histogram of reranker call durations, in seconds (<see cref="Reranking.OpenTelemetryReranker"/>).</summary>
        public const string RerankerDuration = "skrerank.reranker.duration";
        /// <summary>Counter of embedding cache hits, tagged with <c>skrerank.cache</c> (disk or query).</summary>
        public const string CacheHits = "skrerank.cache.hits";
        /// <summary>Counter of embedding cache misses, tagged with <c>skrerank.cache</c> (disk or query).</summary>
        public const string CacheMisses = "skrerank.cache.misses";
    }

    internal static readonly ActivitySource ActivitySource = new(ActivitySourceName);
    internal static readonly Meter Meter = new(MeterName);

    internal static readonly Histogram<double> SearchDuration =
        Meter.CreateHistogram<double>(Instruments.SearchDuration, "s", "Duration of a two-stage search.");
    internal static readonly Histogram<double> StageDuration =
        Meter.CreateHistogram<double>(Instruments.StageDuration, "s", "Duration of one search stage (embed_query, first_stage, rerank).");
    internal static readonly Counter<long> FailOpenCount =
        Meter.CreateCounter<long>(Instruments.FailOpen, "{search}", "Searches answered in first-stage order because the reranker failed.");
    internal static readonly Counter<long> CacheHits =
        Meter.CreateCounter<long>(Instruments.CacheHits, "{text}", "Texts whose embedding came from a cache.");
    internal static readonly Counter<long> CacheMisses =
        Meter.CreateCounter<long>(Instruments.CacheMisses, "{text}", "Texts a cache had to embed.");

    /// <summary>Records one cache lookup of several texts, tagged with the cache (<c>disk</c> or <c>query</c>).</summary>
    internal static void RecordCacheLookup(string cache, long hits, long misses)
    {
        var tag = new KeyValuePair<string, object?>("skrerank.cache", cache);
        if (hits > 0) CacheHits.Add(hits, tag);
        if (misses > 0) CacheMisses.Add(misses, tag);
    }
}
