using SkRerank.Onnx.Embeddings;

namespace SkRerank.Onnx.DependencyInjection;

/// <summary>A local model a registration will use (see <see cref="LocalEmbeddingModels.LoadAllAsync"/>).</summary>
internal sealed record LocalModelRequest(OnnxEmbeddingModel Model, string? CacheDirectory);
