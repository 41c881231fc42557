namespace SkRerank.Cli.Benchmarking;

/// <summary>Timings in milliseconds and their order statistics (nearest-rank percentiles, as latency reports use).</summary>
internal sealed class Samples
{
    private readonly List<double> _values = [];

    public int Count => _values.Count;

    public void Add(double value) => _values.Add(value);

    public void AddRange(IEnumerable<double> values) => _values.AddRange(values);

    /// <summary>The smallest value with at least <paramref name="percent"/>% of the samples at or below it.</summary>
    public double Percentile(double percent)
    {
        if (_values.Count == 0) return double.NaN;
        var sorted = _values.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public double Median => Percentile(50);

    public double Mean => _values.Count == 0 ? double.NaN : _values.Average();

    public double Max => _values.Count == 0 ? double.NaN : _values.Max();

    public double Min => _values.Count == 0 ? double.NaN : _values.Min();
}
