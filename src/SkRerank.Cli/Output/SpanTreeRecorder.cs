using System.Diagnostics;
using System.Globalization;
using SkRerank.Telemetry;

namespace SkRerank.Cli.Output;

/// <summary>
/// <c>--trace</c>: listens to the "SkRerank" ActivitySource while a search runs and prints the spans it saw as an
/// indented tree with durations and attributes, like a trace view in a dashboard, without needing one.
/// </summary>
internal sealed class SpanTreeRecorder : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly List<Activity> _spans = [];

    public SpanTreeRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SkRerankTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (_spans) _spans.Add(activity); },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Writes the finished spans, children under their parent in start order.</summary>
    public void Write(TextWriter writer)
    {
        List<Activity> spans;
        lock (_spans) spans = [.. _spans];
        var ids = spans.Select(s => s.SpanId).ToHashSet();
        var children = spans.Where(s => ids.Contains(s.ParentSpanId)).ToLookup(s => s.ParentSpanId);
        writer.WriteLine("Trace:");
        foreach (var root in spans.Where(s => !ids.Contains(s.ParentSpanId)).OrderBy(s => s.StartTimeUtc))
            Write(writer, root, children, depth: 1);
    }

    private static void Write(TextWriter writer, Activity span, ILookup<ActivitySpanId, Activity> children, int depth)
    {
        var tags = string.Join(" ", span.TagObjects.Select(t => $"{ShortName(t.Key)}={Format(t.Value)}"));
        var status = span.Status == ActivityStatusCode.Error ? " ERROR" : "";
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{new string(' ', depth * 2)}{span.DisplayName}  {span.Duration.TotalMilliseconds:0.0} ms{status}{(tags.Length > 0 ? "  " + tags : "")}"));
        foreach (var child in children[span.SpanId].OrderBy(s => s.StartTimeUtc))
            Write(writer, child, children, depth + 1);
    }

    // "skrerank.reranker.model" reads as "reranker.model" in a terminal; the full names are in the README.
    private static string ShortName(string key) => key.StartsWith("skrerank.", StringComparison.Ordinal) ? key["skrerank.".Length..] : key;

    private static string Format(object? value) => value switch
    {
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "",
    };

    public void Dispose() => _listener.Dispose();
}
