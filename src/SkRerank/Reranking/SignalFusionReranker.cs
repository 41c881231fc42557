namespace SkRerank.Reranking;

/// <summary>
/// The offline reranker: scores the candidates with several relevance signals and fuses them by a weighted sum of
/// per-query z-scores (each signal standardised over the candidate list, so scales don't matter). It is not a
/// cross-encoder: it never reads query and document together in one model. It gives the second stage more evidence
/// than the first stage had, with no model download.
/// </summary>
public sealed class SignalFusionReranker : IQueryPreparingReranker
{
    private readonly IReadOnlyList<(IRelevanceSignal Signal, double Weight)> _signals;

    /// <summary>Creates the reranker from weighted signals.</summary>
    public SignalFusionReranker(IEnumerable<(IRelevanceSignal Signal, double Weight)> signals, string modelId = "signal-fusion")
    {
        _signals = signals?.ToList() ?? throw new ArgumentNullException(nameof(signals));
        if (_signals.Count == 0) throw new ArgumentException("At least one signal is needed.", nameof(signals));
        Metadata = new RerankerMetadata("local", modelId + "(" + string.Join("+", _signals.Select(s => $"{s.Weight:0.##}*{s.Signal.Name}")) + ")");
    }

    /// <inheritdoc />
    public RerankerMetadata Metadata { get; }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) => this.GetOwnService(serviceType, serviceKey);

    /// <summary>Nothing to release: the signals belong to the container.</summary>
    public void Dispose()
    {
    }

    /// <summary>The signals and their weights.</summary>
    public IReadOnlyList<(IRelevanceSignal Signal, double Weight)> Signals => _signals;

    /// <inheritdoc />
    public async Task<IReadOnlyList<RerankResult>> RerankAsync(
        string query, IReadOnlyList<string> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
    {
        RerankArguments.Validate(query, documents, options);
        if (documents.Count == 0) return [];

        // Signals may run synchronously to completion (an ONNX run on the calling thread); Task.Run puts them on separate
        // cores instead of one after another.
        var perSignal = await Task.WhenAll(_signals.Select(s => Task.Run(() => s.Signal.ScoreAsync(query, documents, cancellationToken), cancellationToken)))
            .ConfigureAwait(false);
        var fused = new double[documents.Count];
        for (var s = 0; s < perSignal.Length; s++)
        {
            var scores = perSignal[s];
            if (scores.Length != documents.Count)
                throw new InvalidOperationException($"Signal '{_signals[s].Signal.Name}' returned {scores.Length} scores for {documents.Count} documents.");
            var mean = scores.Average();
            var std = Math.Sqrt(scores.Sum(x => (x - mean) * (x - mean)) / scores.Length);
            for (var i = 0; i < fused.Length; i++)
                fused[i] += _signals[s].Weight * (std > 1e-12 ? (scores[i] - mean) / std : 0);
        }

        return RerankArguments.TopResults(fused, options?.TopN);
    }

    /// <inheritdoc />
    /// <remarks>Prepares every signal concurrently with the query, as <see cref="RerankAsync"/> scores it.</remarks>
    public Task PrepareQueryAsync(string query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Task.WhenAll(_signals.Select(s => Task.Run(() => s.Signal.PrepareQueryAsync(query, cancellationToken), cancellationToken)));
    }

    /// <summary>Precomputes every signal's per-document state (e.g. embeddings) for these documents.</summary>
    /// <remarks>Signals warm up concurrently (embedding models and BM25 analysis each keep a core busy).</remarks>
    public Task WarmUpAsync(IReadOnlyList<string> documents, CancellationToken cancellationToken = default) =>
        WarmUpAsync(documents, null, cancellationToken);

    /// <summary>
    /// Precomputes every signal's per-document state, reporting progress as document-signal pairs done out of
    /// documents × signals (the offline default embeds every movie with two models here: tens of seconds on a CPU).
    /// </summary>
    public Task WarmUpAsync(IReadOnlyList<string> documents, IProgress<Indexing.IndexProgress>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var total = documents.Count * _signals.Count;
        var done = new int[_signals.Count];
        progress?.Report(new Indexing.IndexProgress(0, total));
        IProgress<int>? For(int signal) => progress is null ? null : new SignalProgress(count =>
        {
            Volatile.Write(ref done[signal], count);
            var sum = 0;
            for (var i = 0; i < done.Length; i++) sum += Volatile.Read(ref done[i]);
            progress.Report(new Indexing.IndexProgress(sum, total));
        });
        return Task.WhenAll(_signals.Select((s, i) => Task.Run(() => s.Signal.WarmUpAsync(documents, For(i), cancellationToken), cancellationToken)));
    }

    // Reports synchronously on the reporting thread (Progress<T> would post to the thread pool and arrive out of order).
    private sealed class SignalProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
