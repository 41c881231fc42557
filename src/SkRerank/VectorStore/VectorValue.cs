using Microsoft.Extensions.AI;

namespace SkRerank.VectorStore;

/// <summary>The vector representations a VectorData property or search value may hold, read as one type by every store.</summary>
internal static class VectorValue
{
    /// <summary>
    /// Reads <paramref name="value"/> as a vector when it is a <see cref="ReadOnlyMemory{T}"/> of float, a float array or
    /// an <see cref="Embedding{T}"/> of float.
    /// </summary>
    /// <returns>Whether it is one of those.</returns>
    public static bool TryRead(object? value, out ReadOnlyMemory<float> vector)
    {
        switch (value)
        {
            case ReadOnlyMemory<float> memory:
                vector = memory;
                return true;
            case float[] array:
                vector = array;
                return true;
            case Embedding<float> embedding:
                vector = embedding.Vector;
                return true;
            default:
                vector = default;
                return false;
        }
    }
}
