using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Store.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Harvest : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "harvest_file",
                columns: table => new
                {
                    SourceId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Url = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    ETag = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    LastModified = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Sha256 = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Profile = table.Column<string>(type: "text", nullable: true, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_harvest_file", x => new { x.SourceId, x.Url });
                });

            migrationBuilder.CreateTable(
                name: "harvest_job",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    SourceId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Status = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Created = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    GatherStarted = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    GatherFinished = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Finished = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Added = table.Column<int>(type: "integer", nullable: false),
                    Updated = table.Column<int>(type: "integer", nullable: false),
                    Unchanged = table.Column<int>(type: "integer", nullable: false),
                    Deleted = table.Column<int>(type: "integer", nullable: false),
                    Errored = table.Column<int>(type: "integer", nullable: false),
                    GatherError = table.Column<string>(type: "text", nullable: true, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_harvest_job", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "harvest_object",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    JobId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    SourceId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Guid = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    PackageId = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    State = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    ReportStatus = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    ContentHash = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Errors = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Created = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_harvest_object", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "harvest_source",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Title = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Url = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    SourceType = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    OwnerOrg = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Frequency = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Config = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Notes = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    State = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Created = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Modified = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_harvest_source", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_harvest_job_SourceId_Created",
                table: "harvest_job",
                columns: new[] { "SourceId", "Created" });

            migrationBuilder.CreateIndex(
                name: "IX_harvest_job_Status",
                table: "harvest_job",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_harvest_object_JobId",
                table: "harvest_object",
                column: "JobId");

            migrationBuilder.CreateIndex(
                name: "IX_harvest_object_SourceId_Guid",
                table: "harvest_object",
                columns: new[] { "SourceId", "Guid" });

            migrationBuilder.CreateIndex(
                name: "IX_harvest_source_Name",
                table: "harvest_source",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "harvest_file");

            migrationBuilder.DropTable(
                name: "harvest_job");

            migrationBuilder.DropTable(
                name: "harvest_object");

            migrationBuilder.DropTable(
                name: "harvest_source");
        }
    }
}
