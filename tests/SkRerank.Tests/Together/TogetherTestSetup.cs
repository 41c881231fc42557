using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SkRerank.Together;

namespace SkRerank.Tests.Together;

/// <summary>Options and clients pointed at a <see cref="FakeTogetherServer"/>, with short retry delays so the suite stays fast.</summary>
internal static class TogetherTestSetup
{
    public static TogetherOptions Options(FakeTogetherServer server, Action<TogetherOptions>? tweak = null)
    {
        var options = new TogetherOptions
        {
            ApiKey = server.ApiKey,
            BaseUrl = server.BaseUrl,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = TimeSpan.FromSeconds(2),
            Timeout = TimeSpan.FromSeconds(2),
            MaxRetries = 3,
        };
        tweak?.Invoke(options);
        return options;
    }

    public static TogetherClients Create(FakeTogetherServer server, Action<TogetherOptions>? tweak = null, ILoggerFactory? loggerFactory = null) =>
        TogetherClientFactory.Create(Options(server, tweak), loggerFactory);
}

/// <summary>Keeps every log entry (message, structured values and exception) at every level, to search for secrets.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyList<string> Entries => _entries.ToArray();

    public ILoggerFactory CreateFactory() => LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(this));

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join("; ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{values}] {exception}");
        }
    }
}
