using System.Diagnostics;
using System.Diagnostics.Metrics;
using SkRerank.Telemetry;

namespace SkRerank.Reranking;

/// <summary>
/// Traces each rerank call as an Activity <c>rerank {model}</c> (attributes <c>skrerank.reranker.provider</c>,
/// <c>skrerank.reranker.model</c>, <c>skrerank.rerank.documents</c>, <c>skrerank.top_n</c>; error status on failure) and
/// records its duration in the <c>skrerank.reranker.duration</c> histogram (seconds), like M.E.AI's
/// <c>OpenTelemetryEmbeddingGenerator</c>. Nothing is recorded while no listener is attached.
/// </summary>
public sealed class OpenTelemetryReranker : DelegatingReranker
{
    private readonly ActivitySource _activitySource;
    private readonly Meter _meter;
    private readonly Histogram<double> _duration;

    /// <summary>Wraps <paramref name="innerReranker"/>.</summary>
    /// <param name="innerReranker">The reranker to trace.</param>
    /// <param name="sourceName">ActivitySource and Meter name; <see cref="SkRerankTelemetry.ActivitySourceName"/> when <see langword="null"/>.</param>
    public OpenTelemetryReranker(IReranker innerReranker, string? sourceName = null)
        : base(innerReranker)
    {
        sourceName = string.IsNullOrWhiteSpace(sourceName) ? SkRerankTelemetry.ActivitySourceName : sourceName;
        _activitySource = new ActivitySource(sourceName);
        _meter = new Meter(sourceName);
        _duration = _meter.CreateHistogram<double>(
            SkRerankTelemetry.Instruments.RerankerDuration, "s", "Duration of one reranker call.");
    }

    /// <inheritdoc />
    public override async Task<IReadOnlyList<RerankResult>> RerankAsync(
        string query, IReadOnlyList<string> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
    {
        var metadata = Metadata;
        var model = options?.ModelId ?? metadata.ModelId;
        using var activity = _activitySource.StartActivity(model is null ? "rerank" : "rerank " + model, ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag(SkRerankTelemetry.Attributes.RerankerProvider, metadata.ProviderName);
            activity.SetTag(SkRerankTelemetry.Attributes.RerankerModel, model);
            activity.SetTag(SkRerankTelemetry.Attributes.RerankDocuments, documents?.Count ?? 0);
            if (options?.TopN is int topN) activity.SetTag(SkRerankTelemetry.Attributes.TopN, topN);
        }

        var started = Stopwatch.GetTimestamp();
        string? errorType = null;
        try
        {
            return await base.RerankAsync(query, documents!, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            errorType = ex.GetType().FullName;
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            activity?.SetTag("error.type", errorType);
            throw;
        }
        finally
        {
            if (_duration.Enabled)
            {
                var tags = new TagList
                {
                    { SkRerankTelemetry.Attributes.RerankerProvider, metadata.ProviderName },
                    { SkRerankTelemetry.Attributes.RerankerModel, model },
                };
                if (errorType is not null) tags.Add("error.type", errorType);
                _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
            }
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _activitySource.Dispose();
            _meter.Dispose();
        }
        base.Dispose(disposing);
    }
}
