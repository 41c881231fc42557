using SkRerank.Cli.Composition;
using SkRerank.Together;

namespace SkRerank.Cli.Validation;

/// <summary>Checks the component names and what they need (API key, model) before any component is built.</summary>
internal static class SettingsCheck
{
    public static void Validate(PipelineSettings settings)
    {
        var embeddings = settings.EffectiveEmbeddings;
        // hf:… names and model folders are checked here and resolved (downloaded) by the factory; anything else must be a known name.
        if (EmbeddingModelReference.TryParse(embeddings) is { } reference) reference.Validate();
        else if (!ComponentFactory.EmbeddingChoices.Contains(embeddings)
            && !ComponentFactory.EmbeddingChoices.Contains(embeddings.Replace("-int8", "", StringComparison.Ordinal)))
            throw new CliException($"Unknown --embeddings '{settings.Embeddings}'; use one of: {string.Join(", ", ComponentFactory.EmbeddingChoices)}.");
        var reranker = settings.EffectiveReranker;
        if (!ComponentFactory.RerankerChoices.Contains(reranker))
            throw new CliException($"Unknown --reranker '{settings.Reranker}'; use one of: {string.Join(", ", ComponentFactory.RerankerChoices)}.");
        if (reranker == "cross-encoder" && string.IsNullOrWhiteSpace(settings.RerankModel))
            throw new CliException("--reranker cross-encoder needs --rerank-model: a folder with model.onnx and vocab.txt (or tokenizer.json), or a Hugging Face id such as cross-encoder/ms-marco-MiniLM-L-6-v2.");

        var remote = new List<string>();
        if (embeddings == "together") remote.Add("--embeddings together");
        if (reranker is "together" or "chat") remote.Add($"--reranker {reranker}");
        if (remote.Count > 0 && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(TogetherOptions.ApiKeyEnvironmentVariable)))
            throw new CliException(
                $"{string.Join(" and ", remote)} call{(remote.Count == 1 ? "s" : "")} Together's API, but {TogetherOptions.ApiKeyEnvironmentVariable} is not set; export your API key or use --provider local.");
    }
}
