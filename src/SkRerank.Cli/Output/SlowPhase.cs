using System.Diagnostics;

namespace SkRerank.Cli.Output;

/// <summary>
/// Announces a wait that turns out to be long: when a task is not done after a second, says on stderr what is
/// happening, then how long it took. A fast (warm) start prints nothing.
/// </summary>
internal static class SlowPhase
{
    public static readonly TimeSpan Threshold = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(4);

    public static async Task<T> WaitAsync<T>(Task<T> task, TextWriter? writer, string description)
    {
        if (writer is null || task.IsCompleted) return await task.ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        if (await Task.WhenAny(task, Task.Delay(Threshold)).ConfigureAwait(false) == task) return await task.ConfigureAwait(false);
        writer.WriteLine($"{description}…");
        // On a loaded machine this can take a while: a line every few seconds shows it is still going.
        while (await Task.WhenAny(task, Task.Delay(Heartbeat)).ConfigureAwait(false) != task)
            writer.WriteLine($"{description}: {clock.Elapsed.TotalSeconds:0} s so far");
        var result = await task.ConfigureAwait(false);
        writer.WriteLine($"{description}: done ({clock.Elapsed.TotalSeconds + 0:0.0} s)");
        return result;
    }
}
