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
    private readonly SignalFusionRerankerOptions _options;

    /// <summary>Creates the reranker from weighted signals.</summary>
    /// <param name="signals">The signals and their weights.</param>
    /// <param name="modelId">The name in <see cref="Metadata"/>; the signals and weights are appended.</param>
    /// <param name="options">Pseudo-relevance feedback; none by default.</param>
    public SignalFusionReranker(
        IEnumerable<(IRelevanceSignal Signal, double Weight)> signals, string modelId = "signal-fusion", SignalFusionRerankerOptions? options = null)
    {
        _signals = signals?.ToList() ?? throw new ArgumentNullException(nameof(signals));
        if (_signals.Count == 0) throw new ArgumentException("At least one signal is needed.", nameof(signals));
        _options = options ?? new SignalFusionRerankerOptions();
        _options.Validate();
        var feedback = _options.FeedbackDocuments > 0 ? $"+prf({_options.FeedbackDocuments},{_options.FeedbackWeight:0.##})" : "";
        Metadata = new RerankerMetadata("local", modelId + "(" + string.Join("+", _signals.Select(s => $"{s.Weight:0.##}*{s.Signal.Name}")) + feedback + ")");
    }

    /// <summary>The feedback settings.</summary>
    public SignalFusionRerankerOptions Options => _options;

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
        var fused = Fuse(perSignal, documents.Count);

        // Pseudo-relevance feedback: the signals that can move the query toward the best-fused documents score again.
        var feedbackCount = _options.FeedbackDocuments;
        if (feedbackCount > 0 && documents.Count > feedbackCount && _signals.Any(s => s.Signal is IFeedbackRelevanceSignal))
        {
            var feedback = Enumerable.Range(0, fused.Length).OrderByDescending(i => fused[i]).ThenBy(i => i).Take(feedbackCount).ToList();
            var rescored = await Task.WhenAll(_signals.Select((s, i) => s.Signal is IFeedbackRelevanceSignal f
                    ? Task.Run(() => f.ScoreWithFeedbackAsync(query, documents, feedback, _options.FeedbackWeight, cancellationToken), cancellationToken)
                    : Task.FromResult(perSignal[i])))
                .ConfigureAwait(false);
            fused = Fuse(rescored, documents.Count);
        }

        return RerankArguments.TopResults(fused, options?.TopN);
    }

    // Weighted sum of per-signal z-scores over the candidate list.
    private double[] Fuse(double[][] perSignal, int count)
    {
        var fused = new double[count];
        var standard = new double[count];
        for (var s = 0; s < perSignal.Length; s++)
        {
            var scores = perSignal[s];
            if (scores.Length != count)
                throw new InvalidOperationException($"Signal '{_signals[s].Signal.Name}' returned {scores.Length} scores for {count} documents.");
            Lexical.ZScore.Standardize(scores, standard);
            for (var i = 0; i < fused.Length; i++) fused[i] += _signals[s].Weight * standard[i];
        }
        return fused;
    }

    /// <inheritdoc />
    /// <remarks>Prepares every signal concurrently with the query, as <see cref="RerankAsync"/> scores it.</remarks>
    public Task PrepareQueryAsync(string query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Task.WhenAll(_signals.Select(s => Task.Run(() => s.Signal.PrepareQueryAsync(query, cancellationToken), cancellationToken)));
    }

    /// <summary>Precomputes every signal's per-document state (e.g. embeddings) for these documents.</summary>
    /// <remarks>
    /// Signals warm up one after another, in their order: each embedding model already keeps every core busy, and a
    /// later signal can then reuse what an earlier one computed (the ONNX generator hands the pooled vectors of a
    /// late-interaction pass to the cosine signal of the same model, so the model reads each document once).
    /// </remarks>
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
        return WarmUpInOrderAsync(documents, For, cancellationToken);
    }

    private async Task WarmUpInOrderAsync(IReadOnlyList<string> documents, Func<int, IProgress<int>?> progressFor, CancellationToken cancellationToken)
    {
        for (var i = 0; i < _signals.Count; i++)
        {
            var signal = _signals[i].Signal;
            var progress = progressFor(i);
            // Off the caller's thread: an ONNX run may complete synchronously and would hold it.
            await Task.Run(() => signal.WarmUpAsync(documents, progress, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
    }

    // Reports synchronously on the reporting thread (Progress<T> would post to the thread pool and arrive out of order).
    private sealed class SignalProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
