using System.Collections;
using System.Data.Common;
using System.Text;

namespace Exports.Sdk.Sources.AdoNet.Tests;

/// <summary>
/// The text reader's decisions that a PostgreSQL table cannot force: a column of changing values is read as bytes, bytes that are not UTF-8 and values too long to remember are decoded by the provider, and only
/// plain text types are read as bytes.
/// </summary>
public sealed class RepeatedTextReaderTests
{
    [Fact]
    public void ValuesThatDoNotRepeat_AreReadAsBytes_AfterTheTrial()
    {
        // After the trial: short, exactly the first buffer's 256 bytes, longer, and non-ASCII.
        string[] after = ["a@example.com", new string('b', 256), new string('c', 257), new string('é', 300), "d@example.com"];
        var reader = new OneColumnReader(Enumerable.Range(0, RepeatedTextReader.TrialValues).Select(i => $"user{i}@example.com").Concat(after).Select(Encoding.UTF8.GetBytes));
        var text = new RepeatedTextReader();

        for (var i = 0; i < RepeatedTextReader.TrialValues; i++)
        {
            reader.Read();
            text.Read(reader, 0).Should().Be($"user{i}@example.com");
        }

        text.Remembering.Should().BeFalse("none of the first 4,096 values repeated");
        var batch = new RowBatch(new ExportSchema([new ExportColumn("email", ExportColumnType.String)]), after.Length);
        foreach (var value in after)
        {
            reader.Read();
            text.TryCopyBytes(reader, 0, batch, batch.AddRow(), 0).Should().BeTrue();
        }

        Enumerable.Range(0, after.Length).Select(row => batch.GetString(row, 0)).Should().Equal(after);

        text.Active.Should().BeTrue();
        reader.GetStringCalls.Should().Be(0);
    }

    [Fact]
    public void BytesThatAreNotUtf8_AfterTheTrial_AreTheProvidersToDecode_FromThenOn()
    {
        var latin1 = Encoding.Latin1;
        var reader = new OneColumnReader(Enumerable.Range(0, RepeatedTextReader.TrialValues).Select(i => $"user{i}@example.com").Append("Hélène").Select(latin1.GetBytes), latin1);
        var text = new RepeatedTextReader();
        for (var i = 0; i < RepeatedTextReader.TrialValues; i++)
        {
            reader.Read();
            text.Read(reader, 0);
        }

        reader.Read();
        var batch = new RowBatch(new ExportSchema([new ExportColumn("email", ExportColumnType.String)]));
        var row = batch.AddRow();
        text.TryCopyBytes(reader, 0, batch, row, 0).Should().BeFalse("E9 alone is not UTF-8");
        text.Active.Should().BeFalse("the provider decodes this column from now on");
        batch.IsNull(row, 0).Should().BeTrue("nothing was set");
    }

    [Fact]
    public void ValuesThatRepeat_AreRemembered_AfterTheTrial()
    {
        var reader = new OneColumnReader(Enumerable.Range(0, 5000).Select(i => Encoding.UTF8.GetBytes(i % 3 == 0 ? "Zürich" : "Lisboa")));
        var text = new RepeatedTextReader();
        var read = new List<string>();
        while (reader.Read())
        {
            read.Add(text.Read(reader, 0));
        }

        text.Remembering.Should().BeTrue();
        read.Distinct(ReferenceEqualityComparer.Instance).Should().HaveCount(2);
        read.Where((_, i) => i % 3 == 0).Should().AllBe("Zürich");
    }

    [Fact]
    public void BytesThatAreNotUtf8_AreTheProvidersToDecode_FromThenOn()
    {
        var latin1 = Encoding.Latin1;
        var reader = new OneColumnReader([latin1.GetBytes("US"), latin1.GetBytes("Hélène"), latin1.GetBytes("US")], latin1);
        var text = new RepeatedTextReader();

        reader.Read();
        text.Read(reader, 0).Should().Be("US");
        reader.Read();
        text.Read(reader, 0).Should().Be("Hélène", "E9 alone is not UTF-8, so the provider's own decoding is used");
        text.Remembering.Should().BeFalse();
        reader.GetStringCalls.Should().Be(1);
    }

    [Fact]
    public void AValueLongerThanARememberedOne_IsReadByTheProvider()
    {
        var reader = new OneColumnReader([Encoding.UTF8.GetBytes(new string('é', 25)), Encoding.UTF8.GetBytes(new string('a', 48))]);
        var text = new RepeatedTextReader();

        reader.Read();
        text.Read(reader, 0).Should().Be(new string('é', 25), "50 bytes are more than a remembered value");
        reader.GetStringCalls.Should().Be(1);
        reader.Read();
        text.Read(reader, 0).Should().Be(new string('a', 48));
        reader.GetStringCalls.Should().Be(1, "48 bytes are read from the raw bytes");
    }

    [Theory]
    [InlineData("text", true)]
    [InlineData("character varying", true)]
    [InlineData("character varying(40)", true)]
    [InlineData("character(3)", true)]
    [InlineData("name", true)]
    [InlineData("public.citext", true)]
    [InlineData("character varying(40)[]", false)]
    [InlineData("text[]", false)]
    [InlineData("jsonb", false)]
    [InlineData("json", false)]
    [InlineData("public.mood", false)]
    [InlineData("character varying(x)", false)]
    [InlineData("(40)", false)]
    public void OnlyPlainTextTypes_AreReadAsBytes(string dataTypeName, bool plain) =>
        RepeatedTextReader.IsPlainText(dataTypeName).Should().Be(plain);

    /// <summary>One text column of the given bytes; <see cref="GetString"/> decodes them as the provider would.</summary>
    private sealed class OneColumnReader(IEnumerable<byte[]> values, Encoding? encoding = null) : DbDataReader
    {
        private readonly IEnumerator<byte[]> _values = values.GetEnumerator();
        private readonly Encoding _encoding = encoding ?? Encoding.UTF8;

        public int GetStringCalls { get; private set; }

        public override int FieldCount => 1;

        public override bool HasRows => true;

        public override bool IsClosed => false;

        public override int RecordsAffected => -1;

        public override int Depth => 0;

        public override object this[int ordinal] => GetValue(ordinal);

        public override object this[string name] => GetValue(0);

        public override bool Read() => _values.MoveNext();

        public override string GetString(int ordinal)
        {
            GetStringCalls++;
            return _encoding.GetString(_values.Current);
        }

        public override object GetValue(int ordinal) => GetString(ordinal);

        public override bool IsDBNull(int ordinal) => false;

        public override string GetDataTypeName(int ordinal) => "text";

        public override Type GetFieldType(int ordinal) => typeof(string);

        public override string GetName(int ordinal) => "value";

        public override int GetOrdinal(string name) => 0;

        public override bool NextResult() => false;

        public override IEnumerator GetEnumerator() => throw new NotSupportedException();

        public override bool GetBoolean(int ordinal) => throw new NotSupportedException();

        public override byte GetByte(int ordinal) => throw new NotSupportedException();

        public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
        {
            var value = _values.Current.AsSpan((int)dataOffset);
            if (buffer is null)
            {
                // As ADO.NET providers do: the length of the value.
                return value.Length;
            }

            var copied = Math.Min(value.Length, length);
            value[..copied].CopyTo(buffer.AsSpan(bufferOffset));
            return copied;
        }

        public override char GetChar(int ordinal) => throw new NotSupportedException();

        public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => throw new NotSupportedException();

        public override DateTime GetDateTime(int ordinal) => throw new NotSupportedException();

        public override decimal GetDecimal(int ordinal) => throw new NotSupportedException();

        public override double GetDouble(int ordinal) => throw new NotSupportedException();

        public override float GetFloat(int ordinal) => throw new NotSupportedException();

        public override Guid GetGuid(int ordinal) => throw new NotSupportedException();

        public override short GetInt16(int ordinal) => throw new NotSupportedException();

        public override int GetInt32(int ordinal) => throw new NotSupportedException();

        public override long GetInt64(int ordinal) => throw new NotSupportedException();

        public override int GetValues(object[] values) => throw new NotSupportedException();
    }
}
