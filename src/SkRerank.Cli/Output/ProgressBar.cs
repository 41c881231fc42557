using SkRerank.Indexing;

namespace SkRerank.Cli.Output;

/// <summary>An indexing progress bar on stderr (redrawn in place on a terminal, a few lines otherwise).</summary>
internal sealed class ProgressBar(string label, TextWriter writer) : IProgress<IndexProgress>
{
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private int _lastQuarter = -1;

    public void Report(IndexProgress value)
    {
        if (value.Total == 0) return;
        var fraction = (double)value.Done / value.Total;
        if (_interactive)
        {
            const int width = 30;
            var filled = (int)(fraction * width);
            writer.Write($"\r{label} [{new string('#', filled)}{new string('.', width - filled)}] {value.Done}/{value.Total}");
            if (value.Done == value.Total) writer.WriteLine();
        }
        else
        {
            var quarter = (int)(fraction * 4);
            if (quarter == _lastQuarter) return;
            _lastQuarter = quarter;
            writer.WriteLine($"{label}: {value.Done}/{value.Total}");
        }
    }
}
