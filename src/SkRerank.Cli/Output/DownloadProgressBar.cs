using SkRerank.Onnx.HuggingFace;

namespace SkRerank.Cli.Output;

/// <summary>A model download progress bar on stderr (redrawn in place on a terminal, a few lines otherwise); small files are not shown.</summary>
internal sealed class DownloadProgressBar(TextWriter writer) : IProgress<ModelDownloadProgress>
{
    private const long ShownFrom = 1 << 20;
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private string? _file;
    private int _lastQuarter = -1;
    private int _lastPercent = -1;

    public void Report(ModelDownloadProgress value)
    {
        if (value.TotalBytes is not { } total || total < ShownFrom) return;
        var label = $"Downloading {value.RepositoryId} {value.FilePath}";
        if (label != _file)
        {
            _file = label;
            _lastQuarter = -1;
            _lastPercent = -1;
        }

        var fraction = Math.Clamp((double)value.BytesReceived / total, 0, 1);
        var sizes = $"{value.BytesReceived / 1048576.0:F1}/{total / 1048576.0:F1} MB";
        if (_interactive)
        {
            // Reports come after every read; redraw once per percent.
            var percent = (int)(fraction * 100);
            if (percent == _lastPercent) return;
            _lastPercent = percent;
            const int width = 30;
            var filled = (int)(fraction * width);
            writer.Write($"\r{label} [{new string('#', filled)}{new string('.', width - filled)}] {sizes}");
            if (value.BytesReceived >= total) writer.WriteLine();
        }
        else
        {
            var quarter = (int)(fraction * 4);
            if (quarter == _lastQuarter) return;
            _lastQuarter = quarter;
            writer.WriteLine($"{label}: {sizes}");
        }
    }
}
