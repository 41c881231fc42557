using System.Collections.Concurrent;
using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using SkRerank.Embeddings;
using SkRerank.Onnx.Runtime;

namespace SkRerank.Onnx.Embeddings;

/// <summary>
/// Embeds text offline with a BERT-family ONNX model (<see cref="OnnxEmbeddingModel"/>) on ONNX Runtime. Inputs are
/// sorted by token length and run in batches padded only to their own longest text; results come back in input order,
/// pooled as the model says and L2-normalised unless the model says not to (<see cref="OnnxEmbeddingModel.Normalize"/>). <see cref="EmbeddingInputType.Query"/> inputs (see <see cref="EmbeddingInputTypeExtensions.GetInputType"/>)
/// get the model's query prefix. Thread-safe: one session serves concurrent calls.
/// </summary>
/// <remarks>
/// A call of several batches runs them on thread-pool threads, <see cref="OnnxEmbeddingGeneratorOptions.MaxConcurrentBatches"/>
/// at a time; a single batch runs on the calling thread.
/// </remarks>
public sealed class OnnxEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private static readonly string[] TokenOutputNames = ["last_hidden_state", "token_embeddings"];
    private static readonly string[] SentenceOutputNames = ["sentence_embedding", "sentence_embeddings", "embeddings"];

    private readonly BertSession _session;
    private readonly BertEncoder _encoder;
    private readonly int _maxTokens;
    private readonly int _batchSize;
    private readonly int _concurrentBatches;
    // A query is often embedded twice moments apart (pooled for a cosine, token vectors for late interaction): one
    // forward pass serves both. Small and cleared when full: only the newest few queries are asked for again.
    private readonly ConcurrentDictionary<string, Lazy<Task<QueryRun>>> _recentQueries = new(StringComparer.Ordinal);
    private const int RecentQueryCapacity = 32;
    // The pooled vectors of documents whose token vectors were just computed: a pooled request for them moments later
    // (a reranker warming up a cosine and a late-interaction signal on one model) takes them instead of a second pass.
    // Taken once, and bounded: a pooled request that never comes costs at most this many vectors.
    private readonly ConcurrentDictionary<string, float[]> _pooledFromTokenRuns = new(StringComparer.Ordinal);
    private const int PooledFromTokenRunsCapacity = 16_384;
    // The other way round: once a token view exists (a late-interaction reranker reads this model), a pooled document
    // run (a first stage indexing with this model) keeps its token vectors for the token request that follows, so
    // indexing reads each document once. Half precision, taken once, bounded like the pooled ones.
    private readonly ConcurrentDictionary<string, TokenEmbedding> _tokensFromPooledRuns = new(StringComparer.Ordinal);
    private const int TokensFromPooledRunsCapacity = 4_096;
    private volatile bool _hasTokenView;
    private int _disposed;

    /// <summary>Loads <paramref name="model"/> into a new inference session.</summary>
    /// <param name="model">The model, e.g. <see cref="OnnxEmbeddingModel.ArcticEmbedXs"/>.</param>
    /// <param name="options">Batching, truncation and threading; defaults when <see langword="null"/>.</param>
    public OnnxEmbeddingGenerator(OnnxEmbeddingModel model, OnnxEmbeddingGeneratorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new OnnxEmbeddingGeneratorOptions();
        options.Validate();
        Model = model;
        // The model's own limit (sentence-transformers' max_seq_length) caps the option.
        _maxTokens = Math.Max(3, Math.Min(options.MaxTokens, model.MaxTokens ?? int.MaxValue));
        _batchSize = options.BatchSize;
        _concurrentBatches = options.MaxConcurrentBatches;

        using (var vocabulary = model.OpenVocabulary())
        {
            _encoder = new BertEncoder(WordPieceVocabulary.FromVocabTxt(vocabulary, model.LowerCase));
        }

        using var sessionOptions = OnnxSessionOptions.Create(
            OnnxSessionOptions.DefaultIntraOpThreads(options.IntraOpNumThreads, options.MaxConcurrentBatches),
            options.ConfigureSessionOptions);
        _session = BertSession.Create(model.OpenSession, sessionOptions, SelectOutput);
        try
        {
            var declared = _session.OutputDimensions[^1];
            // A graph with a symbolic width shows it only by running; this happens once, on a tiny input, off any UI context.
            Dimensions = declared > 0
                ? declared
                : RunAsync([_encoder.Single("", _maxTokens)], 0, tokens: false, CancellationToken.None).GetAwaiter().GetResult().Pooled[0].Length;
        }
        catch
        {
            _session.Dispose();
            throw;
        }

        Metadata = new EmbeddingGeneratorMetadata("onnx", providerUri: null, model.ModelId, Dimensions);
    }

    /// <summary>The model this generator runs.</summary>
    public OnnxEmbeddingModel Model { get; }

    /// <summary>Length of the vectors produced.</summary>
    public int Dimensions { get; }

    /// <summary>Provider "onnx", the model id and <see cref="Dimensions"/>.</summary>
    public EmbeddingGeneratorMetadata Metadata { get; }

    /// <summary>
    /// The number of tokens the model reads for <paramref name="text"/>: prefix and special tokens included, capped at
    /// <see cref="OnnxEmbeddingGeneratorOptions.MaxTokens"/>. For throughput figures.
    /// </summary>
    public int CountTokens(string text, EmbeddingInputType inputType = EmbeddingInputType.Document)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Encode(text, PrefixFor(inputType)).Ids.Length;
    }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException"><see cref="EmbeddingGenerationOptions.Dimensions"/> asks for another size.</exception>
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (options?.Dimensions is { } dimensions && dimensions != Dimensions)
        {
            throw new NotSupportedException($"{Model.ModelId} produces {Dimensions}-d vectors, not {dimensions}-d.");
        }

        var texts = values as IReadOnlyList<string> ?? values.ToList();
        if (texts.Count == 1 && texts[0] is { } single && options.GetInputType() == EmbeddingInputType.Query)
        {
            var run = await RunQueryAsync(single, cancellationToken).ConfigureAwait(false);
            return new GeneratedEmbeddings<Embedding<float>>([new Embedding<float>(run.Pooled) { ModelId = Model.ModelId, CreatedAt = DateTimeOffset.UtcNow }])
            {
                Usage = new UsageDetails { InputTokenCount = run.TokenCount, TotalTokenCount = run.TokenCount },
            };
        }

        var prefix = PrefixFor(options.GetInputType());
        var sequences = new EncodedSequence[texts.Count];
        var vectors = new float[texts.Count][];
        var toRun = new List<int>(texts.Count);
        long tokenCount = 0;
        for (var i = 0; i < sequences.Length; i++)
        {
            var text = texts[i] ?? throw new ArgumentException($"Text {i} is null.", nameof(values));
            sequences[i] = Encode(text, prefix);
            tokenCount += sequences[i].Ids.Length;
            if (!_pooledFromTokenRuns.IsEmpty && _pooledFromTokenRuns.TryRemove(prefix + "\n" + text, out var pooled)) vectors[i] = pooled;
            else toRun.Add(i);
        }

        if (toRun.Count > 0)
        {
            var keepTokens = _hasTokenView && toRun.Count <= TokensFromPooledRunsCapacity;
            var (ran, tokens) = await RunAsync(toRun.Select(i => sequences[i]).ToArray(), keepTokens ? PrefixTokens(prefix) : 0, keepTokens, cancellationToken)
                .ConfigureAwait(false);
            for (var k = 0; k < toRun.Count; k++) vectors[toRun[k]] = ran[k];
            if (tokens is not null)
            {
                if (_tokensFromPooledRuns.Count + toRun.Count > TokensFromPooledRunsCapacity) _tokensFromPooledRuns.Clear();
                for (var k = 0; k < toRun.Count; k++) _tokensFromPooledRuns[prefix + "\n" + texts[toRun[k]]] = tokens[k];
            }
        }
        var createdAt = DateTimeOffset.UtcNow;
        var result = new GeneratedEmbeddings<Embedding<float>>(vectors.Length)
        {
            Usage = new UsageDetails { InputTokenCount = tokenCount, TotalTokenCount = tokenCount },
        };
        foreach (var vector in vectors)
        {
            result.Add(new Embedding<float>(vector) { ModelId = Model.ModelId, CreatedAt = createdAt });
        }

        return result;
    }

    /// <summary>
    /// A view of this generator that returns every text's token vectors instead of one pooled vector (see
    /// <see cref="TokenEmbedding"/>), from the same inference session: the input of late-interaction scoring.
    /// Disposing the view does nothing; this generator owns the session.
    /// </summary>
    public IEmbeddingGenerator<string, TokenEmbedding> AsTokenEmbeddingGenerator()
    {
        _hasTokenView = true;
        return new OnnxTokenEmbeddingGenerator(this);
    }

    /// <summary>The token vectors of each text, unit length, without special tokens and the input type's prefix.</summary>
    internal async Task<TokenEmbedding[]> GenerateTokenEmbeddingsAsync(
        IReadOnlyList<string> texts, EmbeddingInputType inputType, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (texts.Count == 1 && texts[0] is { } single && inputType == EmbeddingInputType.Query)
            return [(await RunQueryAsync(single, cancellationToken).ConfigureAwait(false)).Tokens
                    ?? throw new NotSupportedException($"{Model.ModelId} outputs pooled sentence vectors only, not token vectors.")];

        var prefix = PrefixFor(inputType);
        var result = new TokenEmbedding[texts.Count];
        var toRun = new List<int>(texts.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            var text = texts[i] ?? throw new ArgumentException($"Text {i} is null.", nameof(texts));
            if (!_tokensFromPooledRuns.IsEmpty && _tokensFromPooledRuns.TryRemove(prefix + "\n" + text, out var kept)) result[i] = kept;
            else toRun.Add(i);
        }
        if (toRun.Count == 0) return result;

        var sequences = toRun.Select(i => Encode(texts[i], prefix)).ToArray();
        var (pooled, tokens) = await RunAsync(sequences, PrefixTokens(prefix), tokens: true, cancellationToken).ConfigureAwait(false);
        if (tokens is null) throw new NotSupportedException($"{Model.ModelId} outputs pooled sentence vectors only, not token vectors.");
        if (_pooledFromTokenRuns.Count + toRun.Count > PooledFromTokenRunsCapacity) _pooledFromTokenRuns.Clear();
        for (var k = 0; k < toRun.Count; k++)
        {
            _pooledFromTokenRuns[prefix + "\n" + texts[toRun[k]]] = pooled[k];
            result[toRun[k]] = tokens[k];
        }
        return result;
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(EmbeddingGeneratorMetadata)) return Metadata;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Releases the inference session.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _session.Dispose();
    }

    private string PrefixFor(EmbeddingInputType inputType) =>
        inputType == EmbeddingInputType.Query ? Model.QueryPrefix : Model.DocumentPrefix;

    private EncodedSequence Encode(string text, string prefix) =>
        _encoder.Single(prefix.Length == 0 ? text : prefix + text, _maxTokens);

    /// <summary>How many pooled vectors from token runs wait for a pooled request (tests).</summary>
    internal int PendingPooledVectors => _pooledFromTokenRuns.Count;

    /// <summary>How many token vectors from pooled document runs wait for a token request (tests).</summary>
    internal int PendingTokenVectors => _tokensFromPooledRuns.Count;

    /// <summary>Forgets the recent query runs (benchmarks measure queries new to the process).</summary>
    internal void ClearRecentQueries() => _recentQueries.Clear();

    // Word pieces of the prefix: the same for every text, so they would match each other in late interaction, not content.
    private int PrefixTokens(string prefix) => prefix.Length == 0 ? 0 : _encoder.Pieces(prefix, _maxTokens).Length;

    private Task<QueryRun> RunQueryAsync(string query, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_recentQueries.Count >= RecentQueryCapacity) _recentQueries.Clear();
        var lazy = _recentQueries.GetOrAdd(query, text => new Lazy<Task<QueryRun>>(async () =>
        {
            var prefix = Model.QueryPrefix;
            var sequence = Encode(text, prefix);
            // Not the caller's token: another caller may be waiting for the same run; each waits with its own.
            var (pooled, tokens) = await RunAsync([sequence], PrefixTokens(prefix), tokens: true, CancellationToken.None).ConfigureAwait(false);
            return new QueryRun(pooled[0], tokens?[0], sequence.Ids.Length);
        }));
        var task = lazy.Value;
        if (task.IsFaulted || task.IsCanceled) _recentQueries.TryRemove(new KeyValuePair<string, Lazy<Task<QueryRun>>>(query, lazy));
        return task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// One forward pass: every sequence's pooled vector, and with <paramref name="tokens"/> its token vectors (after
    /// <c>[CLS]</c> and <paramref name="prefixTokens"/> prefix pieces, before <c>[SEP]</c>), or <see langword="null"/>
    /// when the graph outputs pooled vectors only.
    /// </summary>
    private async Task<(float[][] Pooled, TokenEmbedding[]? Tokens)> RunAsync(
        EncodedSequence[] sequences, int prefixTokens, bool tokens, CancellationToken cancellationToken)
    {
        var vectors = new float[sequences.Length][];
        var tokenEmbeddings = tokens ? new TokenEmbedding[sequences.Length] : null;
        if (sequences.Length == 0) return (vectors, tokenEmbeddings);
        var skip = 1 + prefixTokens;
        var pooledOnly = false;
        await _session.RunBatchesAsync(
            sequences,
            _batchSize,
            _concurrentBatches,
            _encoder.PadId,
            (batch, output, shape, indices) =>
            {
                for (var k = 0; k < indices.Length; k++) vectors[indices[k]] = Pool(output, shape, k, batch);
                if (tokenEmbeddings is null) return;
                if (shape.Length != 3)
                {
                    pooledOnly = true;
                    return;
                }
                for (var k = 0; k < indices.Length; k++)
                    tokenEmbeddings[indices[k]] = TokenVectors(output, shape, k, sequences[indices[k]].Ids, skip);
            },
            cancellationToken).ConfigureAwait(false);
        return (vectors, pooledOnly ? null : tokenEmbeddings);
    }

    private TokenEmbedding TokenVectors(ReadOnlySpan<float> output, long[] shape, int row, int[] ids, int skip)
    {
        var length = (int)shape[1];
        var width = (int)shape[2];
        var count = Math.Max(0, ids.Length - 1 - skip);
        var vectors = new Half[count * width];
        Span<float> token = width <= 1024 ? stackalloc float[width] : new float[width];
        for (var t = 0; t < count; t++)
        {
            output.Slice((row * length + skip + t) * width, width).CopyTo(token);
            var norm = TensorPrimitives.Norm<float>(token);
            if (norm > 0) TensorPrimitives.Divide(token, norm, token);
            TensorPrimitives.ConvertToHalf(token, vectors.AsSpan(t * width, width));
        }
        return new TokenEmbedding(count == 0 ? [] : ids.AsSpan(skip, count).ToArray(), vectors, width) { ModelId = Model.ModelId };
    }

    private sealed record QueryRun(float[] Pooled, TokenEmbedding? Tokens, int TokenCount);

    private float[] Pool(ReadOnlySpan<float> data, long[] shape, int row, PaddedBatch batch)
    {
        float[] vector;
        if (shape.Length == 2)
        {
            // The graph pools already (sentence_embedding output).
            var width = (int)shape[1];
            vector = data.Slice(row * width, width).ToArray();
        }
        else
        {
            var length = (int)shape[1];
            var width = (int)shape[2];
            var tokens = data.Slice(row * length * width, length * width);
            var mask = batch.AttentionMask.Slice(row * batch.SequenceLength, batch.SequenceLength);
            vector = PoolTokens(Model.Pooling, tokens, mask, length, width);
        }

        if (!Model.Normalize) return vector;
        var norm = TensorPrimitives.Norm<float>(vector);
        if (norm > 0) TensorPrimitives.Divide(vector, norm, vector);
        return vector;
    }

    private static float[] PoolTokens(EmbeddingPooling pooling, ReadOnlySpan<float> tokens, ReadOnlySpan<long> mask, int length, int width)
    {
        if (pooling == EmbeddingPooling.Cls) return tokens[..width].ToArray();
        var vector = new float[width];
        var counted = 0;
        var last = 0;
        for (var t = 0; t < length; t++)
        {
            if (mask[t] == 0) continue;
            var token = tokens.Slice(t * width, width);
            if (pooling == EmbeddingPooling.Max)
            {
                if (counted == 0) token.CopyTo(vector);
                else TensorPrimitives.Max(vector, token, vector);
            }
            else
            {
                TensorPrimitives.Add(vector, token, vector);
            }

            counted++;
            last = t;
        }

        if (counted == 0) return vector;
        return pooling switch
        {
            EmbeddingPooling.Mean => Divide(vector, counted),
            EmbeddingPooling.MeanSqrtLength => Divide(vector, MathF.Sqrt(counted)),
            EmbeddingPooling.LastToken => tokens.Slice(last * width, width).ToArray(),
            _ => vector,
        };
    }

    private static float[] Divide(float[] vector, float by)
    {
        TensorPrimitives.Divide(vector, by, vector);
        return vector;
    }

    private static string SelectOutput(IReadOnlyDictionary<string, NodeMetadata> outputs)
    {
        // Per-token states come first: BERT exports often also carry a tanh "pooler" output that is not a sentence embedding.
        foreach (var name in TokenOutputNames)
        {
            if (outputs.TryGetValue(name, out var meta) && meta.Dimensions.Length == 3) return name;
        }

        foreach (var name in SentenceOutputNames)
        {
            if (outputs.TryGetValue(name, out var meta) && meta.Dimensions.Length == 2) return name;
        }

        var rank3 = outputs.Where(o => o.Value.Dimensions.Length == 3).Select(o => o.Key).ToList();
        if (rank3.Count == 1) return rank3[0];
        throw new NotSupportedException(
            "Cannot tell which output of the ONNX model holds the embeddings; expected last_hidden_state, token_embeddings "
            + $"or sentence_embedding (it has: {string.Join(", ", outputs.Select(o => $"{o.Key}[{string.Join(",", o.Value.Dimensions)}]"))}).");
    }
}
