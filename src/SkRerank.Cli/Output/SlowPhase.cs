using System.Diagnostics;

namespace SkRerank.Cli.Output;

/// <summary>
/// Announces a wait that turns out to be long: when a task is not done after a second, says on stderr what is
/// happening, then how long it took. A fast (warm) start prints nothing.
/// </summary>
internal static class SlowPhase
{
    public static readonly TimeSpan Threshold = TimeSpan.FromSeconds(1);

    public static async Task<T> WaitAsync<T>(Task<T> task, TextWriter? writer, string description)
    {
        if (writer is null || task.IsCompleted) return await task.ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        if (await Task.WhenAny(task, Task.Delay(Threshold)).ConfigureAwait(false) == task) return await task.ConfigureAwait(false);
        writer.WriteLine($"{description}…");
        var result = await task.ConfigureAwait(false);
        writer.WriteLine($"{description}: done ({clock.Elapsed.TotalSeconds + 0:0.0} s)");
        return result;
    }
}
