namespace Exports.Sdk.Destinations.AmazonS3;

/// <summary>An S3 request the destination makes, with the IAM permission it needs (for error messages).</summary>
/// <param name="Name">The request name, e.g. <c>UploadPart</c>.</param>
/// <param name="Permission">The IAM action it needs, e.g. <c>s3:PutObject</c>.</param>
internal sealed record AmazonS3Operation(string Name, string Permission)
{
    public static readonly AmazonS3Operation PutObject = new("PutObject", "s3:PutObject");
    public static readonly AmazonS3Operation CreateMultipartUpload = new("CreateMultipartUpload", "s3:PutObject");
    public static readonly AmazonS3Operation UploadPart = new("UploadPart", "s3:PutObject");
    public static readonly AmazonS3Operation CompleteMultipartUpload = new("CompleteMultipartUpload", "s3:PutObject");
    public static readonly AmazonS3Operation AbortMultipartUpload = new("AbortMultipartUpload", "s3:AbortMultipartUpload");
    public static readonly AmazonS3Operation CopyObject = new("CopyObject", "s3:GetObject and s3:PutObject");
    public static readonly AmazonS3Operation DeleteObject = new("DeleteObject", "s3:DeleteObject");
    public static readonly AmazonS3Operation ListObjects = new("ListObjectsV2", "s3:ListBucket");
    public static readonly AmazonS3Operation GetObject = new("GetObject", "s3:GetObject");
}
