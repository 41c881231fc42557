using Microsoft.ML.OnnxRuntime;
using SkRerank.Onnx.HuggingFace;
using SkRerank.Onnx.Runtime;
using SkRerank.Reranking;

namespace SkRerank.Onnx.Reranking;

/// <summary>
/// Reranks with a BERT-family cross-encoder in ONNX form (e.g. cross-encoder/ms-marco-MiniLM-L-6-v2): each document is
/// read together with the query as <c>[CLS] query [SEP] document [SEP]</c> and scored by the model's logit. Pairs are
/// sorted by length and batched with dynamic padding. Thread-safe.
/// </summary>
/// <remarks>
/// Tokenization is WordPiece (<c>vocab.txt</c>, or a <c>tokenizer.json</c> whose model is WordPiece); SentencePiece
/// cross-encoders such as bge-reranker-base (XLM-RoBERTa) are not supported. Batches run on thread-pool threads,
/// <see cref="OnnxCrossEncoderRerankerOptions.MaxConcurrentBatches"/> at a time.
/// </remarks>
public sealed class OnnxCrossEncoderReranker : IReranker
{
    private readonly BertSession _session;
    private readonly BertEncoder _encoder;
    private readonly OnnxCrossEncoderRerankerOptions _options;
    private int _disposed;

    /// <summary>Loads a cross-encoder from its files.</summary>
    /// <param name="modelPath">The ONNX graph, taking <c>input_ids</c> (and <c>attention_mask</c>, <c>token_type_ids</c> if it has them) and giving logits.</param>
    /// <param name="vocabularyPath"><c>vocab.txt</c>, or a <c>tokenizer.json</c> with a WordPiece model.</param>
    /// <param name="options">Truncation, batching and scoring; defaults when <see langword="null"/>.</param>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="NotSupportedException">The graph's inputs or outputs, or the tokenizer, are not BERT-like.</exception>
    public OnnxCrossEncoderReranker(string modelPath, string vocabularyPath, OnnxCrossEncoderRerankerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(vocabularyPath);
        options ??= new OnnxCrossEncoderRerankerOptions();
        options.Validate();
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"ONNX model not found: {modelPath}", modelPath);
        if (!File.Exists(vocabularyPath)) throw new FileNotFoundException($"Vocabulary not found: {vocabularyPath}", vocabularyPath);

        // A copy, so that later changes to the caller's options cannot disturb running calls.
        _options = Copy(options);
        _encoder = new BertEncoder(WordPieceVocabulary.FromFile(vocabularyPath, options.LowerCase));
        using var sessionOptions = OnnxSessionOptions.Create(
            OnnxSessionOptions.DefaultIntraOpThreads(options.IntraOpNumThreads, options.MaxConcurrentBatches),
            options.ConfigureSessionOptions);
        _session = BertSession.Create(o => new InferenceSession(modelPath, o), sessionOptions, SelectOutput);
        Metadata = new RerankerMetadata("onnx", options.ModelId ?? DefaultModelId(modelPath));
    }

    /// <summary>Provider "onnx" and the model id.</summary>
    public RerankerMetadata Metadata { get; }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) => this.GetOwnService(serviceType, serviceKey);

    /// <summary>
    /// Loads a cross-encoder from a folder holding <c>model.onnx</c> (or <c>onnx/model.onnx</c>, the Hugging Face layout)
    /// and <c>vocab.txt</c> or <c>tokenizer.json</c>.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing; the message lists what to put where.</exception>
    public static OnnxCrossEncoderReranker FromDirectory(string directory, OnnxCrossEncoderRerankerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var model = FirstExisting(directory, "model.onnx", Path.Combine("onnx", "model.onnx"));
        var vocabulary = FirstExisting(directory, "vocab.txt", "tokenizer.json", Path.Combine("onnx", "vocab.txt"), Path.Combine("onnx", "tokenizer.json"));
        if (model is null || vocabulary is null)
        {
            var missing = new List<string>(2);
            if (model is null) missing.Add("model.onnx (or onnx/model.onnx)");
            if (vocabulary is null) missing.Add("vocab.txt or tokenizer.json");
            throw new FileNotFoundException(
                $"The cross-encoder folder {Path.GetFullPath(directory)} lacks {string.Join(" and ", missing)}.",
                model is null ? Path.Combine(directory, "model.onnx") : Path.Combine(directory, "vocab.txt"));
        }

        return new OnnxCrossEncoderReranker(model, vocabulary, options);
    }

    /// <summary>
    /// Loads a cross-encoder published on Hugging Face with an ONNX export (e.g. "cross-encoder/ms-marco-MiniLM-L-6-v2",
    /// optionally "@revision"), downloading <c>onnx/model.onnx</c> (or <c>model.onnx</c>), <c>vocab.txt</c> (or
    /// <c>tokenizer.json</c>) and <c>tokenizer_config.json</c> once into <paramref name="cacheDirectory"/>, checksummed and
    /// resumable (<see cref="HuggingFaceDownloader"/>); later calls load the cached files without the network.
    /// <c>HF_ENDPOINT</c>, <c>HF_TOKEN</c> and <c>HF_HUB_OFFLINE</c> are honoured.
    /// </summary>
    /// <param name="modelId">The repository id, "owner/name".</param>
    /// <param name="cacheDirectory">The folder holding downloaded models (the CLI uses <c>{cache}/models</c>).</param>
    /// <param name="httpClient">Client for the download; a new one when <see langword="null"/>.</param>
    /// <param name="options">Reranker settings.</param>
    /// <param name="cancellationToken">Cancels the download; what arrived is resumed next time.</param>
    /// <exception cref="ArgumentException"><paramref name="modelId"/> is not of the form owner/name.</exception>
    /// <exception cref="HuggingFaceDownloadException">A file could not be downloaded or verified; the message says what to do.</exception>
    public static Task<OnnxCrossEncoderReranker> FromHuggingFaceAsync(
        string modelId,
        string cacheDirectory,
        HttpClient? httpClient = null,
        OnnxCrossEncoderRerankerOptions? options = null,
        CancellationToken cancellationToken = default) =>
        FromHuggingFaceAsync(modelId, cacheDirectory, new HuggingFaceHubOptions { HttpClient = httpClient }, options, cancellationToken);

    /// <summary>
    /// Loads a cross-encoder from the Hugging Face Hub as <see cref="FromHuggingFaceAsync(string, string, HttpClient?, OnnxCrossEncoderRerankerOptions?, CancellationToken)"/>
    /// does, with the Hub's endpoint, token, client and progress reporting given explicitly.
    /// </summary>
    /// <param name="modelId">The repository id, "owner/name".</param>
    /// <param name="cacheDirectory">The folder holding downloaded models.</param>
    /// <param name="hubOptions">Endpoint, token, client and progress.</param>
    /// <param name="options">Reranker settings.</param>
    /// <param name="cancellationToken">Cancels the download; what arrived is resumed next time.</param>
    public static async Task<OnnxCrossEncoderReranker> FromHuggingFaceAsync(
        string modelId,
        string cacheDirectory,
        HuggingFaceHubOptions hubOptions,
        OnnxCrossEncoderRerankerOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheDirectory);
        ArgumentNullException.ThrowIfNull(hubOptions);
        var repository = HuggingFaceRepositoryId.Parse(modelId);
        using var downloader = new HuggingFaceDownloader(cacheDirectory, hubOptions);
        Task<string?> Get(string path) => downloader.GetFileAsync(repository, path, required: false, cancellationToken);

        var model = await Get("onnx/model.onnx").ConfigureAwait(false) ?? await Get("model.onnx").ConfigureAwait(false)
            ?? throw new HuggingFaceDownloadException($"{repository} has no ONNX export (onnx/model.onnx or model.onnx); export one and use its folder.");
        var vocabulary = await Get("vocab.txt").ConfigureAwait(false) ?? await Get("tokenizer.json").ConfigureAwait(false)
            ?? throw new HuggingFaceDownloadException($"{repository} has neither vocab.txt nor tokenizer.json.");

        options = Copy(options ?? new OnnxCrossEncoderRerankerOptions());
        options.ModelId ??= repository.ToString();
        // tokenizer_config.json's do_lower_case overrides the tokenizer's own normalizer, as in Hugging Face's tokenizers.
        if (options.LowerCase is null && await Get("tokenizer_config.json").ConfigureAwait(false) is { } tokenizerConfig)
        {
            options.LowerCase = ReadDoLowerCase(tokenizerConfig);
        }

        return new OnnxCrossEncoderReranker(model, vocabulary, options);
    }

    /// <inheritdoc />
    /// <remarks><see cref="RerankOptions.ModelId"/> is ignored: this reranker runs one model.</remarks>
    public async Task<IReadOnlyList<RerankResult>> RerankAsync(
        string query,
        IReadOnlyList<string> documents,
        RerankOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        ArgumentNullException.ThrowIfNull(documents);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var topN = options?.TopN ?? documents.Count;
        if (options?.TopN is { } requested && (requested < 1 || requested > documents.Count))
        {
            throw new ArgumentOutOfRangeException(
                "top_n", requested, $"top_n must be between 1 and the number of documents ({documents.Count}).");
        }

        if (documents.Count == 0) return [];

        var queryPieces = _encoder.Pieces(query, _options.EffectiveMaxQueryTokens);
        var documentBudget = _options.MaxTokens - 3 - queryPieces.Length;
        var pairs = new EncodedSequence[documents.Count];
        for (var i = 0; i < pairs.Length; i++)
        {
            var document = documents[i] ?? throw new ArgumentException($"Document {i} is null.", nameof(documents));
            pairs[i] = _encoder.Pair(queryPieces, _encoder.Pieces(document, documentBudget));
        }

        var scores = await ScoreAsync(pairs, cancellationToken).ConfigureAwait(false);
        var ranked = new RerankResult[scores.Length];
        for (var i = 0; i < ranked.Length; i++) ranked[i] = new RerankResult(i, scores[i]);
        // Ties keep document order, so results are deterministic.
        Array.Sort(ranked, static (a, b) =>
        {
            var byScore = b.RelevanceScore.CompareTo(a.RelevanceScore);
            return byScore != 0 ? byScore : a.Index.CompareTo(b.Index);
        });
        return ranked.AsSpan(0, topN).ToArray();
    }

    /// <summary>Releases the inference session.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _session.Dispose();
    }

    private async Task<double[]> ScoreAsync(EncodedSequence[] pairs, CancellationToken cancellationToken)
    {
        var scores = new double[pairs.Length];
        await _session.RunBatchesAsync(
            pairs,
            _options.BatchSize,
            _options.MaxConcurrentBatches,
            _encoder.PadId,
            (_, logits, shape, indices) =>
            {
                var width = shape.Length == 1 ? 1 : (int)shape[^1];
                for (var k = 0; k < indices.Length; k++)
                {
                    scores[indices[k]] = width switch
                    {
                        1 => Activate(logits[k]),
                        // softmax(l)[1] of two classes is the sigmoid of their difference.
                        2 => Sigmoid((double)logits[2 * k + 1] - logits[2 * k]),
                        _ => throw new NotSupportedException($"The model gives {width} logits per pair; expected 1, or 2 classes."),
                    };
                }
            },
            cancellationToken).ConfigureAwait(false);
        return scores;
    }

    private double Activate(float logit) =>
        _options.ScoreActivation == CrossEncoderScoreActivation.Sigmoid ? Sigmoid(logit) : logit;

    private static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    private static string SelectOutput(IReadOnlyDictionary<string, NodeMetadata> outputs)
    {
        if (outputs.ContainsKey("logits")) return "logits";
        if (outputs.Count == 1) return outputs.Keys.First();
        throw new NotSupportedException(
            $"Cannot tell which output of the ONNX model holds the logits (it has: {string.Join(", ", outputs.Keys)}); name it 'logits'.");
    }

    private static string DefaultModelId(string modelPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(modelPath)) ?? "";
        // In the Hugging Face layout the graph sits in <model>/onnx/.
        if (Path.GetFileName(folder) == "onnx") folder = Path.GetDirectoryName(folder) ?? folder;
        var name = Path.GetFileName(folder);
        return name.Length > 0 ? name : Path.GetFileNameWithoutExtension(modelPath);
    }

    private static string? FirstExisting(string directory, params string[] candidates) =>
        candidates.Select(c => Path.Combine(directory, c)).FirstOrDefault(File.Exists);

    private static OnnxCrossEncoderRerankerOptions Copy(OnnxCrossEncoderRerankerOptions options) => new()
    {
        ModelId = options.ModelId,
        MaxTokens = options.MaxTokens,
        MaxQueryTokens = options.MaxQueryTokens,
        BatchSize = options.BatchSize,
        ScoreActivation = options.ScoreActivation,
        LowerCase = options.LowerCase,
        MaxConcurrentBatches = options.MaxConcurrentBatches,
        IntraOpNumThreads = options.IntraOpNumThreads,
        ConfigureSessionOptions = options.ConfigureSessionOptions,
    };

    private static bool? ReadDoLowerCase(string tokenizerConfigPath)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(tokenizerConfigPath));
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && document.RootElement.TryGetProperty("do_lower_case", out var value)
                && value.ValueKind is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False
                ? value.GetBoolean()
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // the tokenizer's own casing applies
        }
    }
}
