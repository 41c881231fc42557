using System.Text;

namespace SkRerank.Movies;

/// <summary>Checks that a dataset is UTF-8 and, when it is not, says where the first bad byte is.</summary>
internal static class DatasetEncoding
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <exception cref="MovieDatasetException">The bytes are not valid UTF-8; the message names the source, line, column and byte offset.</exception>
    public static void EnsureUtf8(ReadOnlyMemory<byte> bytes, string sourceName)
    {
        var span = bytes.Span;
        if (System.Text.Unicode.Utf8.IsValid(span)) return;
        var offset = FirstInvalidByte(span);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (span[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        var column = Strict.GetCharCount(span[lineStart..offset]) + 1;
        throw new MovieDatasetException(
            $"{sourceName} is not valid UTF-8: byte 0x{span[offset]:X2} at offset {offset} (line {line}, column {column}). Save the file as UTF-8.");
    }

    private static int FirstInvalidByte(ReadOnlySpan<byte> span)
    {
        var offset = 0;
        while (offset < span.Length)
        {
            if (Rune.DecodeFromUtf8(span[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done) return offset;
            offset += consumed;
        }
        return span.Length;
    }
}
