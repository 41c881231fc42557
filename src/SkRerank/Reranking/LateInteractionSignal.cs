using System.Collections.Concurrent;
using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SkRerank.Embeddings;

namespace SkRerank.Reranking;

/// <summary>
/// Late interaction (ColBERT's MaxSim): every query token finds its best-matching token in the document, and the
/// document scores the weighted mean of those best matches. Unlike a cosine of two pooled vectors it reads query and
/// document token against token, so "bats" can meet "Batman" and one rare query word is not averaged away — the nearest
/// thing to a cross-encoder the offline models allow. Query tokens are weighted by <see cref="LateInteractionSignalOptions.IdfShare"/>
/// between uniform and inverse document frequency (over the warmed-up documents). Document token vectors are computed
/// at warm-up and, with a <see cref="LateInteractionSignalOptions.CacheDirectory"/>, kept on disk; documents it has not
/// seen are embedded per call and not kept, so memory does not grow while serving.
/// </summary>
public sealed partial class LateInteractionSignal : IRelevanceSignal, IDisposable
{
    private const int ChunkSize = 64;

    private readonly IEmbeddingGenerator<string, TokenEmbedding> _generator;
    private readonly LateInteractionSignalOptions _options;
    private readonly ILogger _logger;
    private readonly string _modelId;
    private readonly ConcurrentDictionary<string, TokenMatrix> _documents = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _warmUp = new(1, 1);
    private volatile DocumentFrequencies? _frequencies;

    /// <summary>Creates the signal.</summary>
    /// <param name="generator">Embeds texts into token vectors, e.g. the ONNX generator's <c>AsTokenEmbeddingGenerator()</c>.</param>
    /// <param name="options">Token weighting and the cache folder.</param>
    /// <param name="logger">Receives a warning when the cache file cannot be read or written.</param>
    public LateInteractionSignal(
        IEmbeddingGenerator<string, TokenEmbedding> generator, LateInteractionSignalOptions? options = null, ILogger<LateInteractionSignal>? logger = null)
    {
        _generator = generator ?? throw new ArgumentNullException(nameof(generator));
        _options = options ?? new LateInteractionSignalOptions();
        _options.Validate();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _modelId = generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? "token-embedding";
        Name = _modelId + "-maxsim";
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>How many documents' token vectors are held (those of the last warm-up).</summary>
    public int DocumentCount => _documents.Count;

    /// <inheritdoc />
    public async Task<double[]> ScoreAsync(string query, IReadOnlyList<string> documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.Count == 0) return [];
        // No query cache here: the ONNX generator keeps its recent query runs, which also serve the same model's cosine.
        var queryTokens = TokenMatrix.From((await _generator.GenerateAsync(
                [query], new EmbeddingGenerationOptions().WithInputType(EmbeddingInputType.Query), cancellationToken)
            .ConfigureAwait(false))[0]);
        var tokens = await DocumentTokensAsync(documents, cancellationToken).ConfigureAwait(false);
        var frequencies = _frequencies ?? DocumentFrequencies.Of(tokens.Select(t => t.Ids).ToList());
        var weights = TokenWeights(queryTokens, frequencies);
        var dimensions = queryTokens.Dimensions;
        var scores = new double[documents.Count];
        for (var d = 0; d < scores.Length; d++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var document = tokens[d];
            if (document.Dimensions != dimensions)
                throw new InvalidOperationException($"Query tokens have {dimensions} dimensions but a document's have {document.Dimensions}.");
            scores[d] = MaxSim(queryTokens.Vectors, weights, document.Vectors, dimensions);
        }
        return scores;
    }

    /// <inheritdoc />
    public Task WarmUpAsync(IReadOnlyList<string> documents, CancellationToken cancellationToken = default) =>
        WarmUpAsync(documents, null, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Reads the token vectors of these documents from the cache file when it has them, embeds the rest in chunks of 64
    /// (reporting after each), and writes the file again when anything was new. The documents become the corpus of
    /// the document frequencies; the vectors of documents not in this list are released. Without a cache folder, every
    /// warm-up embeds its documents again.
    /// </remarks>
    public async Task WarmUpAsync(IReadOnlyList<string> documents, IProgress<int>? documentsDone, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        await _warmUp.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var distinct = documents.Distinct(StringComparer.Ordinal).ToList();
            var cached = ReadCache();
            var found = new Dictionary<string, TokenEmbedding>(StringComparer.Ordinal);
            var missing = new List<string>();
            foreach (var text in distinct)
            {
                // Held vectors are pruned (see below), so the full ones come from the cache file or the model.
                if (cached is not null && cached.TryGetValue(EmbeddingCacheFile.KeyOf(EmbeddingInputType.Document, text), out var stored)) found[text] = stored;
                else missing.Add(text);
            }

            var done = found.Count;
            documentsDone?.Report(done);
            var options = new EmbeddingGenerationOptions().WithInputType(EmbeddingInputType.Document);
            for (var start = 0; start < missing.Count; start += ChunkSize)
            {
                var chunk = missing.GetRange(start, Math.Min(ChunkSize, missing.Count - start));
                var generated = await _generator.GenerateAsync(chunk, options, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < chunk.Count; i++) found[chunk[i]] = generated[i];
                done += chunk.Count;
                documentsDone?.Report(done);
            }

            if (missing.Count > 0) WriteCache(found);
            // Document tokens that half the corpus shares ("the", ",", "of") are dropped, as ColBERT's PLAID prunes them:
            // a third fewer products per query, with the same dev figures. Frequencies count every token first.
            var frequencies = DocumentFrequencies.Of(found.Values.Select(t => t.TokenIds).ToList());
            foreach (var text in _documents.Keys.Where(k => !found.ContainsKey(k)).ToList()) _documents.TryRemove(text, out _);
            // Widened to single precision for scoring, side by side (a start-up converts the whole corpus).
            Parallel.ForEach(found, new ParallelOptions { CancellationToken = cancellationToken },
                entry => _documents[entry.Key] = TokenMatrix.From(entry.Value, frequencies.IsCommon));
            _frequencies = frequencies;
        }
        finally
        {
            _warmUp.Release();
        }
    }

    /// <summary>Releases the warm-up lock; the generator belongs to the caller.</summary>
    public void Dispose() => _warmUp.Dispose();

    private static double MaxSim(float[] query, double[] weights, float[] document, int dimensions)
    {
        if (document.Length == 0) return 0;
        Span<float> best = weights.Length <= 256 ? stackalloc float[weights.Length] : new float[weights.Length];
        MaxSimKernel.BestMatches(query, weights.Length, document, dimensions, best);
        double score = 0;
        for (var q = 0; q < weights.Length; q++) score += weights[q] * best[q];
        return score;
    }

    private double[] TokenWeights(TokenMatrix query, DocumentFrequencies frequencies)
    {
        var count = query.TokenCount;
        var weights = new double[count];
        if (count == 0) return weights;
        var idf = new double[count];
        for (var i = 0; i < count; i++) idf[i] = frequencies.InverseDocumentFrequency(query.Ids[i]);
        var idfSum = idf.Sum();
        var share = _options.IdfShare;
        for (var i = 0; i < count; i++)
            weights[i] = (1 - share) / count + (idfSum > 0 ? share * idf[i] / idfSum : share / count);
        return weights;
    }

    private async Task<TokenMatrix[]> DocumentTokensAsync(IReadOnlyList<string> documents, CancellationToken cancellationToken)
    {
        var result = new TokenMatrix[documents.Count];
        var missing = new List<int>();
        for (var i = 0; i < result.Length; i++)
        {
            if (_documents.TryGetValue(documents[i], out var tokens)) result[i] = tokens;
            else missing.Add(i);
        }
        if (missing.Count == 0) return result;
        var generated = await _generator.GenerateAsync(missing.Select(i => documents[i]), new EmbeddingGenerationOptions().WithInputType(EmbeddingInputType.Document), cancellationToken)
            .ConfigureAwait(false);
        var frequencies = _frequencies;
        for (var k = 0; k < missing.Count; k++)
            result[missing[k]] = TokenMatrix.From(generated[k], frequencies is null ? null : frequencies.IsCommon);
        return result;
    }

    private string? CachePath => _options.CacheDirectory is { } folder
        ? Path.Combine(folder, "tokens", string.Concat(_modelId.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_')) + ".skrtok")
        : null;

    private Dictionary<UInt128, TokenEmbedding>? ReadCache()
    {
        if (CachePath is not { } path || !File.Exists(path)) return null;
        try
        {
            return TokenEmbeddingCacheFile.Read(path, _modelId);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or EndOfStreamException)
        {
            LogCacheDiscarded(_logger, path, e.Message);
            return null;
        }
    }

    private void WriteCache(Dictionary<string, TokenEmbedding> documents)
    {
        if (CachePath is not { } path || documents.Count == 0) return;
        try
        {
            var dimensions = documents.Values.First().Dimensions;
            TokenEmbeddingCacheFile.Write(path, _modelId, dimensions,
                documents.Select(d => new KeyValuePair<UInt128, TokenEmbedding>(EmbeddingCacheFile.KeyOf(EmbeddingInputType.Document, d.Key), d.Value)).ToList());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogCacheNotWritten(_logger, path, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discarding the token cache {Path}: {Reason}. It will be rebuilt.")]
    private static partial void LogCacheDiscarded(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the token cache {Path} ({Reason}); token vectors stay in memory only.")]
    private static partial void LogCacheNotWritten(ILogger logger, string path, string reason);
}
