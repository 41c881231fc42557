using Microsoft.Extensions.AI;
using SkRerank.Embeddings;

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
}
