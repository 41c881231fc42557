using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using OpenTelemetry;
using OpenTelemetry.Trace;
using SkRerank.DependencyInjection;
using SkRerank.Indexing;
using SkRerank.Reranking;
using SkRerank.Search;
using SkRerank.Telemetry;
using SkRerank.Tests.Support;
using SkRerank.Tests.TextSearch;

namespace SkRerank.Tests.Reranking;

public sealed class RerankerPipelineTests
{
    private static readonly string[] Documents = ["alpha", "bravo", "charlie"];

    [Fact]
    public async Task Builder_applies_decorators_in_the_order_they_were_added_the_first_outermost()
    {
        var calls = new List<string>();
        var reranker = new LastFirstReranker(calls).AsBuilder()
            .Use(inner => new NamedStep("outer", inner, calls))
            .Use(inner => new NamedStep("inner", inner, calls))
            .Build();

        var results = await reranker.RerankAsync("q", Documents);

        Assert.Equal(["outer", "inner", "reranker"], calls);
        Assert.Equal([2, 1, 0], results.Select(r => r.Index));
        Assert.Equal("outer", Assert.IsType<NamedStep>(reranker).Name);
    }

    [Fact]
    public void GetService_reaches_the_inner_reranker_and_its_metadata_through_decorators()
    {
        var inner = new LastFirstReranker([]);
        var reranker = inner.AsBuilder().UseOpenTelemetry().Use(i => new NamedStep("step", i, [])).Build();

        Assert.Same(inner, reranker.GetService<LastFirstReranker>());
        Assert.IsType<OpenTelemetryReranker>(reranker.GetService<OpenTelemetryReranker>());
        Assert.Same(reranker, reranker.GetService<IReranker>());
        Assert.Equal(new RerankerMetadata("test", "last-first"), reranker.GetService<RerankerMetadata>());
        Assert.Null(reranker.GetService<LastFirstReranker>(serviceKey: "other"));
        Assert.Null(reranker.GetService<SignalFusionReranker>());
    }

    [Fact]
    public void Disposing_the_pipeline_disposes_the_inner_reranker()
    {
        var inner = new LastFirstReranker([]);
        var reranker = inner.AsBuilder().UseOpenTelemetry().UseLogging(LoggerFactory.Create(_ => { })).Build();

        reranker.Dispose();

        Assert.True(inner.Disposed);
    }

    [Fact]
    public async Task Logging_decorator_logs_the_call_and_failures()
    {
        var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var reranker = new LastFirstReranker([]).AsBuilder().UseLogging(factory).Build();

        await reranker.RerankAsync("q", Documents, new RerankOptions { TopN = 2 });
        await Assert.ThrowsAsync<ArgumentException>(() => reranker.RerankAsync("", Documents));

        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Debug && e.Message.Contains("Reranking 3 documents with test/last-first, top_n 2"));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Debug && e.Message.Contains("2 results"));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Error is ArgumentException);
    }

    [Fact]
    public async Task OpenTelemetry_decorator_emits_a_rerank_span_with_provider_model_counts_and_error_status()
    {
        var sourceName = "skrerank-tests-" + Guid.NewGuid().ToString("N");
        var spans = new List<Activity>();
        using (var tracer = Sdk.CreateTracerProviderBuilder().AddSource(sourceName).AddInMemoryExporter(spans).Build())
        {
            var reranker = new LastFirstReranker([]).AsBuilder().UseOpenTelemetry(sourceName).Build();
            await reranker.RerankAsync("q", Documents, new RerankOptions { TopN = 2 });
            await Assert.ThrowsAsync<ArgumentException>(() => reranker.RerankAsync("", Documents));
        }

        Assert.Equal(2, spans.Count);
        var ok = spans[0];
        Assert.Equal("rerank last-first", ok.DisplayName);
        Assert.Equal("test", ok.GetTagItem(SkRerankTelemetry.Attributes.RerankerProvider));
        Assert.Equal("last-first", ok.GetTagItem(SkRerankTelemetry.Attributes.RerankerModel));
        Assert.Equal(3, ok.GetTagItem(SkRerankTelemetry.Attributes.RerankDocuments));
        Assert.Equal(2, ok.GetTagItem(SkRerankTelemetry.Attributes.TopN));
        Assert.Equal(ActivityStatusCode.Unset, ok.Status);
        Assert.Equal(ActivityStatusCode.Error, spans[1].Status);
        Assert.Equal(typeof(ArgumentException).FullName, spans[1].GetTagItem("error.type"));
    }

    [Fact]
    public async Task AddReranker_registers_the_decorated_pipeline_and_indexing_still_warms_up_a_wrapped_signal_fusion_reranker()
    {
        var generator = new CountingEmbeddingGenerator(new HashingEmbeddingGenerator(64));
        var builder = Kernel.CreateBuilder();
        builder.Services.AddEmbeddingGenerator(new HashingEmbeddingGenerator(64));
        builder.Services.AddReranker(_ => new SignalFusionReranker([(new EmbeddingSimilaritySignal(generator), 1.0)]))
            .UseOpenTelemetry();
        builder.AddMovieSearch(o => o.FirstStage = FirstStageMode.Vector);
        var kernel = builder.Build();

        var reranker = kernel.Services.GetRequiredService<IReranker>();
        Assert.IsType<OpenTelemetryReranker>(reranker);

        var movies = await MovieSubset.LoadAsync();
        await kernel.Services.GetRequiredService<MovieIndexer>().IndexAsync(movies);

        // The warm-up found the SignalFusionReranker behind the decorator and embedded every movie for its signal.
        Assert.True(generator.Texts >= movies.Count, $"warm-up embedded {generator.Texts} of {movies.Count} movies");
    }

    private sealed class LastFirstReranker(List<string> calls) : IReranker
    {
        public bool Disposed { get; private set; }

        public RerankerMetadata Metadata { get; } = new("test", "last-first");

        public Task<IReadOnlyList<RerankResult>> RerankAsync(
            string query, IReadOnlyList<string> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
        {
            ArgumentException.ThrowIfNullOrEmpty(query);
            calls.Add("reranker");
            IReadOnlyList<RerankResult> results = Enumerable.Range(0, documents.Count).Reverse()
                .Select((index, rank) => new RerankResult(index, -rank)).Take(options?.TopN ?? documents.Count).ToList();
            return Task.FromResult(results);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceKey is not null ? null
            : serviceType == typeof(RerankerMetadata) ? Metadata
            : serviceType.IsInstanceOfType(this) ? this : null;

        public void Dispose() => Disposed = true;
    }

    private sealed class NamedStep(string name, IReranker inner, List<string> calls) : DelegatingReranker(inner)
    {
        public string Name => name;

        public override Task<IReadOnlyList<RerankResult>> RerankAsync(
            string query, IReadOnlyList<string> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
        {
            calls.Add(name);
            return base.RerankAsync(query, documents, options, cancellationToken);
        }
    }

    private sealed record LogEntry(LogLevel Level, string Message, Exception? Error);

    private sealed class CapturingLoggerProvider : ILoggerProvider, ILogger
    {
        private readonly List<LogEntry> _entries = [];

        public IReadOnlyList<LogEntry> Entries { get { lock (_entries) return [.. _entries]; } }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_entries) _entries.Add(new LogEntry(logLevel, formatter(state, exception), exception));
        }

        public void Dispose()
        {
        }
    }
}
