using Microsoft.Extensions.AI;
using SkRerank.Embeddings;
using SkRerank.Onnx.Embeddings;

namespace SkRerank.Tests.Onnx;

public sealed class OnnxTokenEmbeddingTests(EmbeddingModelsFixture models) : IClassFixture<EmbeddingModelsFixture>
{
    private static EmbeddingGenerationOptions As(EmbeddingInputType type) => new EmbeddingGenerationOptions().WithInputType(type);

    [Fact]
    public async Task Token_vectors_cover_the_texts_word_pieces_without_special_tokens_or_the_query_prefix()
    {
        var tokens = models.Arctic.AsTokenEmbeddingGenerator();

        var document = (await tokens.GenerateAsync(["bats and batman"], As(EmbeddingInputType.Document)))[0];
        var query = (await tokens.GenerateAsync(["bats and batman"], As(EmbeddingInputType.Query)))[0];

        // arctic puts "Represent this sentence for searching relevant passages: " before queries; its pieces are left out.
        Assert.Equal(document.TokenIds, query.TokenIds);
        Assert.InRange(document.TokenCount, 3, 6);
        Assert.Equal(384, document.Dimensions);
        Assert.Equal(document.TokenCount * 384, document.Vectors.Length);
        for (var t = 0; t < document.TokenCount; t++)
        {
            var vector = document.Vectors.Span.Slice(t * 384, 384).ToArray().Select(h => (float)h).ToArray();
            Assert.Equal(1f, Vectors.Norm(vector), 2);
        }
    }

    [Fact]
    public async Task A_querys_pooled_vector_is_the_same_whether_it_comes_alone_or_in_a_batch()
    {
        const string query = "space survival drama stranded astronaut";
        _ = await models.MiniLm.AsTokenEmbeddingGenerator().GenerateAsync([query], As(EmbeddingInputType.Query));

        // Alone, the query reuses the forward pass the token request just ran; in a batch it runs again.
        var alone = (await models.MiniLm.GenerateAsync([query], As(EmbeddingInputType.Query)))[0].Vector;
        var batched = (await models.MiniLm.GenerateAsync([query, "another text, longer, so the batch pads"], As(EmbeddingInputType.Query)))[0].Vector;

        Vectors.AssertClose(batched.Span, alone.Span, 1e-4f);
    }

    [Fact]
    public async Task Many_texts_are_embedded_in_one_call_each_with_its_own_tokens()
    {
        string[] texts = ["a", "the quick brown fox jumps over the lazy dog", "zombies"];

        var tokens = await models.MiniLm.AsTokenEmbeddingGenerator().GenerateAsync(texts, As(EmbeddingInputType.Document));

        Assert.Equal(texts.Length, tokens.Count);
        Assert.True(tokens[1].TokenCount > tokens[0].TokenCount);
        Assert.All(tokens, t => Assert.Equal(t.TokenCount * t.Dimensions, t.Vectors.Length));
    }

    [Fact]
    public async Task Documents_whose_token_vectors_were_just_computed_get_their_pooled_vectors_from_the_same_pass()
    {
        using var generator = new OnnxEmbeddingGenerator(OnnxEmbeddingModel.MiniLmL6V2);
        string[] texts = [$"a heist crew plans one last job {Guid.NewGuid()}", $"a robot learns to love {Guid.NewGuid()}"];
        var separately = await models.MiniLm.GenerateAsync(texts, As(EmbeddingInputType.Document));

        _ = await generator.AsTokenEmbeddingGenerator().GenerateAsync(texts, As(EmbeddingInputType.Document));
        Assert.Equal(2, generator.PendingPooledVectors);
        var reused = await generator.GenerateAsync(texts, As(EmbeddingInputType.Document));
        Assert.Equal(0, generator.PendingPooledVectors);

        // The same vectors a pooled pass computes, within float noise of a different batch.
        for (var i = 0; i < texts.Length; i++) Vectors.AssertClose(separately[i].Vector.Span, reused[i].Vector.Span, 1e-5f);
    }

    [Fact]
    public async Task Documents_embedded_pooled_after_a_token_view_exists_keep_their_token_vectors_for_the_next_token_request()
    {
        using var generator = new OnnxEmbeddingGenerator(OnnxEmbeddingModel.MiniLmL6V2);
        string[] texts = [$"a detective hunts a masked vigilante {Guid.NewGuid()}", $"two rival magicians {Guid.NewGuid()}"];
        var separately = await models.MiniLm.AsTokenEmbeddingGenerator().GenerateAsync(texts, As(EmbeddingInputType.Document));
        var view = generator.AsTokenEmbeddingGenerator();

        // A first stage indexing with the model the late-interaction reranker reads: one pass serves both.
        _ = await generator.GenerateAsync(texts, As(EmbeddingInputType.Document));
        Assert.Equal(2, generator.PendingTokenVectors);
        var reused = await view.GenerateAsync(texts, As(EmbeddingInputType.Document));
        Assert.Equal(0, generator.PendingTokenVectors);
        Assert.Equal(0, generator.PendingPooledVectors);

        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(separately[i].TokenIds, reused[i].TokenIds);
            var expected = separately[i].Vectors.ToArray().Select(h => (float)h).ToArray();
            var actual = reused[i].Vectors.ToArray().Select(h => (float)h).ToArray();
            Vectors.AssertClose(expected, actual, 1e-2f);
        }
    }

    [Fact]
    public async Task Without_a_token_view_pooled_runs_keep_no_token_vectors()
    {
        using var generator = new OnnxEmbeddingGenerator(OnnxEmbeddingModel.MiniLmL6V2);

        _ = await generator.GenerateAsync(["a quiet film about a lighthouse keeper"], As(EmbeddingInputType.Document));

        Assert.Equal(0, generator.PendingTokenVectors);
    }
}
