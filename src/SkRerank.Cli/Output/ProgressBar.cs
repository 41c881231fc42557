using System.Diagnostics;
using SkRerank.Indexing;

namespace SkRerank.Cli.Output;

/// <summary>
/// A progress bar on stderr: redrawn in place on a terminal; otherwise a line every couple of seconds (never a silent
/// gap), plus the first and the last. The last line says how long the phase took. Safe to report from several threads.
/// With <paramref name="showAfter"/>, a phase that ends sooner prints nothing (a warm cache makes it instant).
/// </summary>
internal sealed class ProgressBar(string label, TextWriter writer, TimeSpan showAfter = default) : IProgress<IndexProgress>, IDisposable
{
    // A batch can take longer than this on a loaded machine: then the last line is repeated with the time so far, so
    // the user never waits more than a few seconds without a sign of life.
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan BeatCheck = TimeSpan.FromSeconds(1);
    private Timer? _heartbeat;
    private IndexProgress _last;
    private static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(2);
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private readonly Lock _lock = new();
    private readonly Stopwatch _clock = new();
    private TimeSpan _lastLine;
    private bool _shown;
    private bool _finished;

    public void Report(IndexProgress value)
    {
        if (value.Total == 0) return;
        lock (_lock)
        {
            if (_finished) return;
            if (!_clock.IsRunning) _clock.Start();
            var done = value.Done >= value.Total;
            var elapsed = _clock.Elapsed;
            var time = done ? $" ({elapsed.TotalSeconds:0.0} s)" : "";
            if (elapsed < showAfter && !_shown)
            {
                _finished = done;
                return;
            }
            var first = !_shown;
            _shown = true;
            _last = value;
            if (first && !_interactive && !done) _heartbeat = new Timer(_ => Beat(), null, BeatCheck, BeatCheck);
            if (_interactive)
            {
                const int width = 30;
                var filled = (int)((double)value.Done / value.Total * width);
                writer.Write($"\r{label} [{new string('#', filled)}{new string('.', width - filled)}] {value.Done}/{value.Total}{time}");
                if (done) writer.WriteLine();
            }
            else if (done || first || elapsed - _lastLine >= LineInterval)
            {
                _lastLine = elapsed;
                writer.WriteLine($"{label}: {value.Done}/{value.Total}{time}");
            }
            _finished = done;
            if (done) _heartbeat?.Dispose();
        }
    }

    private void Beat()
    {
        lock (_lock)
        {
            if (_finished || _clock.Elapsed - _lastLine < Heartbeat) return;
            _lastLine = _clock.Elapsed;
            writer.WriteLine($"{label}: {_last.Done}/{_last.Total} ({_clock.Elapsed.TotalSeconds:0} s so far)");
        }
    }

    /// <summary>Stops the heartbeat (a phase that ended with an error never reports its last step).</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _finished = true;
            _heartbeat?.Dispose();
        }
    }
}
