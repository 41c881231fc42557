using System.Runtime.InteropServices;

namespace SkRerank.Cli;

/// <summary>
/// Turns Ctrl+C (SIGINT) and SIGTERM into cancellation, so a command stops at the next batch with what it has done
/// saved (the embedding journal), prints "Cancelled." and exits 130 (SIGTERM: 143), as shells expect. If the work does
/// not stop within <see cref="GracePeriod"/> (a native model run in progress), the process exits with that code anyway;
/// a second signal exits at once.
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(3);

    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _signals;

    public TerminationSignals()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, context => OnSignal(context, 130)),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => OnSignal(context, 143)),
        ];
    }

    public CancellationToken Token => _cancellation.Token;

    /// <summary>The exit code of a cancelled command: 130 after SIGINT, 143 after SIGTERM.</summary>
    public static int CancelledExitCode { get; private set; } = 130;

    private void OnSignal(PosixSignalContext context, int exitCode)
    {
        context.Cancel = true; // we end the process ourselves, after the command has stopped
        if (Interlocked.Increment(ref _signals) > 1) Environment.Exit(exitCode);
        CancelledExitCode = exitCode;
        // The exit deadline is set first and cancellation runs on the thread pool: a cancellation callback that blocks
        // must not hold up the signal thread, nor the deadline.
        _ = Task.Delay(GracePeriod).ContinueWith(_ =>
        {
            Console.Error.WriteLine("Cancelled.");
            Environment.Exit(exitCode);
        }, TaskScheduler.Default);
        _ = Task.Run(() => _cancellation.Cancel());
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _cancellation.Dispose();
    }
}
