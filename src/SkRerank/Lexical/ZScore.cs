namespace SkRerank.Lexical;

/// <summary>
/// Standard scores: how many standard deviations each value lies from the list's mean. The one standardisation behind
/// every z-score fusion in SkRerank — the stores' hybrid search (<see cref="WeightedZScoreFusion"/>) and the local
/// reranker's signals (<c>SignalFusionReranker</c>) — so that scales of different scorers never matter.
/// </summary>
internal static class ZScore
{
    /// <summary>Writes the z-score of each of <paramref name="values"/> to <paramref name="into"/>; all 0 when the values are all equal.</summary>
    public static void Standardize(ReadOnlySpan<double> values, Span<double> into)
    {
        if (into.Length < values.Length) throw new ArgumentException("The target is shorter than the values.", nameof(into));
        if (values.Length == 0) return;
        double sum = 0;
        foreach (var value in values) sum += value;
        var mean = sum / values.Length;
        double squares = 0;
        foreach (var value in values) squares += (value - mean) * (value - mean);
        var deviation = Math.Sqrt(squares / values.Length);
        for (var i = 0; i < values.Length; i++) into[i] = deviation > 1e-12 ? (values[i] - mean) / deviation : 0;
    }
}
